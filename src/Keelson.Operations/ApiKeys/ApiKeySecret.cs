using System.Security.Cryptography;
using System.Text;

namespace Keelson.Operations.ApiKeys;

/// <summary>
/// The secret of an issued key: <c>kls_</c> + 32 random bytes in base64url. Only its SHA-256 is stored; a salted slow
/// hash would buy nothing for 256 random bits, and a plain hash lets a request's key be found by one indexed lookup.
/// </summary>
public static class ApiKeySecret
{
    /// <summary>What every issued secret starts with; configured keys without it never cost a database lookup.</summary>
    public const string Marker = "kls_";

    /// <summary>How many characters of the secret are kept as its prefix.</summary>
    public const int PrefixLength = 8;

    /// <summary>A new random secret.</summary>
    public static string New() => Marker + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A new key id: <c>key_</c> + 16 hex digits.</summary>
    public static string NewId() => "key_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>The stored form of a secret: its SHA-256 in lower-case hex.</summary>
    public static string Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }

    /// <summary>The part of a secret shown in lists.</summary>
    public static string PrefixOf(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return secret[..Math.Min(PrefixLength, secret.Length)];
    }

    /// <summary>Whether two stored hashes are equal, compared in constant time.</summary>
    public static bool SameHash(string expected, string given) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(given));
}
