namespace Keelson.Operations.Storage;

/// <summary>One numbered schema script, e.g. version 1 named <c>0001_initial</c>.</summary>
public sealed record Migration(int Version, string Name);
