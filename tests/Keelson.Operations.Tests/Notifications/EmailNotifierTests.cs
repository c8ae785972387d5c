using System.Net;
using System.Net.Sockets;
using System.Text;
using Keelson.Operations.Notifications;
using Keelson.Operations.Tests.Storage;
using Keelson.Testing;
using MimeKit;

namespace Keelson.Operations.Tests.Notifications;

/// <summary>E-mail notifications to a real SMTP server (aiosmtpd) started by each test: STARTTLS, AUTH, bodies, failures without secrets.</summary>
public sealed class EmailNotifierTests
{
    private const string Password = "s3cret-smtp-pass";
    private static readonly EmailReceiver Receiver = new(["oncall@example.com", "lead@example.com"]);
    private readonly ManualClock clock = new(new DateTimeOffset(2024, 1, 15, 10, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Sends_over_STARTTLS_with_auth_to_every_recipient_with_text_and_html_summaries()
    {
        await using var smtp = await SmtpServer.StartAsync(tls: true, "keelson", Password);
        var notifier = new EmailNotifier(Options(smtp, SmtpSecurity.StartTls, Password), clock, "http://keelson.example");
        var notification = Alerts.Notification("acme", Receiver, "key-mail-1", clock.GetUtcNow(), "web-1", "web-2");

        var attempt = await notifier.SendAsync(notification, default);
        Assert.True(attempt.Succeeded, attempt.Error);
        Assert.Contains("Message accepted", attempt.Reply, StringComparison.Ordinal);

        var received = Assert.Single(smtp.Messages());
        Assert.Equal(["oncall@example.com", "lead@example.com"], received["rcpt_tos"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("alerts@keelson.example", received["mail_from"]!.GetValue<string>());
        Assert.True(received["tls"]!.GetValue<bool>());
        Assert.Equal("keelson", received["auth_user"]!.GetValue<string>());

        using var raw = new MemoryStream(Encoding.UTF8.GetBytes(received["data"]!.GetValue<string>()));
        var message = await MimeMessage.LoadAsync(raw);
        Assert.Equal("[FIRING:2] HighCpu (tenant acme)", message.Subject);
        Assert.Equal("key-mail-1@keelson", message.MessageId);
        Assert.Equal("key-mail-1", message.Headers["Idempotency-Key"]);
        Assert.Contains("Firing (2)", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("instance=web-1", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("summary: HighCpu on web-2", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("<td>HighCpu</td>", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("instance=web-2", message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_password_is_a_failed_attempt_that_does_not_show_the_password()
    {
        await using var smtp = await SmtpServer.StartAsync(tls: true, "keelson", Password);
        // aiosmtpd answers a failed AUTH slowly, so a short attempt timeout keeps the test quick; either way the attempt fails.
        var notifier = new EmailNotifier(Options(smtp, SmtpSecurity.StartTls, "wrong-" + Password) with { AttemptTimeout = TimeSpan.FromSeconds(2) }, clock, "http://keelson.example");
        var attempt = await notifier.SendAsync(Alerts.Notification("acme", Receiver, "key-mail-2", clock.GetUtcNow(), "a"), default);
        Assert.False(attempt.Succeeded);
        Assert.DoesNotContain(Password, attempt.ToString(), StringComparison.Ordinal);
        Assert.Empty(smtp.Messages());
    }

    [Fact]
    public async Task Required_STARTTLS_fails_against_a_server_that_does_not_offer_it_and_opportunistic_sends_plain()
    {
        await using var smtp = await SmtpServer.StartAsync(tls: false);
        var notification = Alerts.Notification("acme", Receiver, "key-mail-3", clock.GetUtcNow(), "a");
        var required = await new EmailNotifier(Options(smtp, SmtpSecurity.StartTls, null), clock, "http://keelson.example").SendAsync(notification, default);
        Assert.False(required.Succeeded);
        Assert.Contains("STARTTLS", required.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(smtp.Messages());

        var opportunistic = await new EmailNotifier(Options(smtp, SmtpSecurity.StartTlsWhenAvailable, null), clock, "http://keelson.example").SendAsync(notification, default);
        Assert.True(opportunistic.Succeeded, opportunistic.Error);
        Assert.False(Assert.Single(smtp.Messages())["tls"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_relay_that_never_answers_times_out_per_attempt()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var options = new SmtpOptions { Host = "127.0.0.1", Port = port, Security = SmtpSecurity.None, AttemptTimeout = TimeSpan.FromMilliseconds(700) };
        var started = DateTime.UtcNow;
        var attempt = await new EmailNotifier(options, clock, "http://keelson.example").SendAsync(Alerts.Notification("acme", Receiver, "key-mail-4", clock.GetUtcNow(), "a"), default);
        Assert.False(attempt.Succeeded);
        Assert.InRange((DateTime.UtcNow - started).TotalSeconds, 0.5, 5);
        Assert.NotNull(attempt.Error);

        var none = await new EmailNotifier(new SmtpOptions(), clock, "http://keelson.example").SendAsync(Alerts.Notification("acme", Receiver, "key-mail-5", clock.GetUtcNow(), "a"), default);
        Assert.Contains("Keelson:Notifications:Smtp:Host", none.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, new SmtpOptions { Username = "u", Password = Password }.ToString(), StringComparison.Ordinal);
    }

    private static SmtpOptions Options(SmtpServer smtp, SmtpSecurity security, string? password) => new()
    {
        Host = "127.0.0.1",
        Port = smtp.Port,
        Security = security,
        Username = password is null ? null : "keelson",
        Password = password,
        From = "alerts@keelson.example",
        TrustedCertificate = smtp.CertificatePath,
        AttemptTimeout = TimeSpan.FromSeconds(10),
    };
}
