// Run on its own (dotnet run --project src/Keelson.Server) or through `keelson serve`; both build the same app.
await Keelson.Server.ServerApp.Build(args).RunAsync().ConfigureAwait(false);

/// <summary>The entry point type, for WebApplicationFactory in the API tests.</summary>
public partial class Program;
