using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace Keelson.Testing;

/// <summary>
/// A real SMTP server for one test: Debian's aiosmtpd (python3-aiosmtpd) on a free loopback port through
/// <c>tests/Shared/Servers/smtp_sink.py</c>, optionally with STARTTLS (a self-signed certificate made here) and AUTH;
/// every message it accepts is read back as JSON.
/// </summary>
public sealed class SmtpServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly string folder;

    private SmtpServer(Process process, string folder, int port, string? certificate)
    {
        this.process = process;
        this.folder = folder;
        Port = port;
        CertificatePath = certificate;
    }

    /// <summary>The port it listens on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>The PEM certificate it presents for STARTTLS, when TLS is on.</summary>
    public string? CertificatePath { get; }

    private string Received => Path.Combine(folder, "received.jsonl");

    /// <summary>Starts the server; with <paramref name="tls"/> STARTTLS is offered and required, with a user AUTH is required too.</summary>
    public static async Task<SmtpServer> StartAsync(bool tls, string? user = null, string? password = null)
    {
        var folder = Directory.CreateTempSubdirectory("keelson-smtp-").FullName;
        var port = ExternalProcess.FreePort();
        List<string> arguments = [Repo.File("tests", "Shared", "Servers", "smtp_sink.py"), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", Path.Combine(folder, "received.jsonl")];
        string? certificate = null;
        if (tls)
        {
            (certificate, var key) = WriteCertificate(folder);
            arguments.AddRange(["--cert", certificate, "--key", key]);
        }

        if (user is not null)
        {
            arguments.AddRange(["--user", user, "--password", password ?? ""]);
        }

        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var process = ExternalProcess.Start(python, arguments);
        var server = new SmtpServer(process, folder, port, certificate);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            if (line?.StartsWith("ready", StringComparison.Ordinal) != true)
            {
                var error = await process.StandardError.ReadToEndAsync(timeout.Token);
                throw new InvalidOperationException($"aiosmtpd did not start (install python3-aiosmtpd): {line} {error}");
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>The messages accepted so far: <c>mail_from</c>, <c>rcpt_tos</c>, <c>data</c> (the raw message), <c>tls</c>, <c>auth_user</c>.</summary>
    public IReadOnlyList<JsonObject> Messages() =>
        File.Exists(Received) ? [.. File.ReadAllLines(Received).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!.AsObject())] : [];

    /// <summary>Waits until at least <paramref name="count"/> messages arrived; all of them.</summary>
    public async Task<IReadOnlyList<JsonObject>> WaitForAsync(int count, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (Messages() is var messages && messages.Count < count)
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"{messages.Count} of {count} messages arrived within {timeout}.");
            }

            await Task.Delay(50);
        }

        return Messages();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    private static (string Certificate, string Key) WriteCertificate(string folder)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var (certPath, keyPath) = (Path.Combine(folder, "smtp.crt"), Path.Combine(folder, "smtp.key"));
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath);
    }
}
