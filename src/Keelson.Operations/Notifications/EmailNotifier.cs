using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Keelson.Operations.Notifications;

/// <summary>
/// Sends e-mail receivers' notifications through the configured SMTP relay with MailKit: STARTTLS as configured,
/// authentication when a user is set, a per-attempt timeout, and a plain-text and an HTML part summarising the group.
/// Errors name the failure and the server's reply, never the password.
/// </summary>
public sealed class EmailNotifier(SmtpOptions options, TimeProvider clock, string externalUrl) : INotificationChannel
{
    private readonly X509Certificate2? trusted = options.TrustedCertificate is { } path ? X509Certificate2.CreateFromPem(File.ReadAllText(path)) : null;

    /// <inheritdoc />
    public bool CanDeliverTo(ReceiverSpec receiver) => receiver is EmailReceiver;

    /// <summary>The message for a notification: what the attempt sends.</summary>
    public MimeMessage Compose(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var receiver = (EmailReceiver)notification.Receiver;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.From));
        foreach (var recipient in receiver.Recipients)
        {
            message.To.Add(MailboxAddress.Parse(recipient));
        }

        message.Subject = EmailBodies.Subject(notification);
        message.Date = notification.CreatedAt;

        // The same id on every attempt: mail systems drop the duplicate of a retried message, as webhooks use Idempotency-Key.
        message.MessageId = $"{notification.IdempotencyKey}@keelson";
        message.Headers.Add("Idempotency-Key", notification.IdempotencyKey);
        message.Body = new BodyBuilder { TextBody = EmailBodies.Text(notification, externalUrl), HtmlBody = EmailBodies.Html(notification, externalUrl) }.ToMessageBody();
        return message;
    }

    /// <inheritdoc />
    public async Task<DeliveryAttempt> SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var at = clock.GetUtcNow();
        var watch = Stopwatch.StartNew();
        if (string.IsNullOrEmpty(options.Host))
        {
            return new DeliveryAttempt(at, watch.Elapsed, null, "no SMTP relay is configured (Keelson:Notifications:Smtp:Host)");
        }

        MimeMessage message;
        try
        {
            message = Compose(notification);
        }
        catch (ParseException e)
        {
            return new DeliveryAttempt(at, watch.Elapsed, null, $"bad address: {e.Message}");
        }

        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(options.AttemptTimeout);
        using var client = new SmtpClient { Timeout = (int)options.AttemptTimeout.TotalMilliseconds };
        if (trusted is not null)
        {
            client.ServerCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == System.Net.Security.SslPolicyErrors.None || (certificate is not null && certificate.GetCertHashString() == trusted.Thumbprint);
        }

        try
        {
            await client.ConnectAsync(options.Host, options.Port, Socket(options.Security), attempt.Token).ConfigureAwait(false);
            if (options.Username is not null)
            {
                await client.AuthenticateAsync(new NetworkCredential(options.Username, options.Password ?? ""), attempt.Token).ConfigureAwait(false);
            }

            var reply = await client.SendAsync(message, attempt.Token).ConfigureAwait(false);
            await client.DisconnectAsync(quit: true, attempt.Token).ConfigureAwait(false);
            return new DeliveryAttempt(at, watch.Elapsed, 250, null, reply);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DeliveryAttempt(at, watch.Elapsed, null, $"no answer within {options.AttemptTimeout.TotalSeconds:0.###} s");
        }
        catch (SmtpCommandException e)
        {
            return new DeliveryAttempt(at, watch.Elapsed, (int)e.StatusCode, $"SMTP {(int)e.StatusCode} on {e.ErrorCode}", e.Message);
        }
        catch (AuthenticationException e)
        {
            // MailKit's text carries the server's reply (e.g. 535), never the credentials.
            return new DeliveryAttempt(at, watch.Elapsed, null, $"authentication failed: {e.Message}");
        }
        catch (NotSupportedException e)
        {
            return new DeliveryAttempt(at, watch.Elapsed, null, $"the relay does not support what is configured: {e.Message}");
        }
        catch (SslHandshakeException)
        {
            return new DeliveryAttempt(at, watch.Elapsed, null, "TLS handshake failed (untrusted certificate or no common protocol)");
        }
        catch (Exception e) when (e is SocketException or IOException or SmtpProtocolException or ServiceNotConnectedException or TimeoutException)
        {
            return new DeliveryAttempt(at, watch.Elapsed, null, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static SecureSocketOptions Socket(SmtpSecurity security) => security switch
    {
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        SmtpSecurity.None => SecureSocketOptions.None,
        _ => SecureSocketOptions.StartTlsWhenAvailable,
    };
}

/// <summary>The subject and bodies of a notification e-mail, after Alertmanager's default e-mail template.</summary>
public static class EmailBodies
{
    /// <summary><c>[FIRING:2] HighCpu acme</c>: status, count and the group labels' values.</summary>
    public static string Subject(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var firing = notification.Alerts.Count(a => !a.Resolved);
        var count = notification.Status == "firing" ? firing : notification.Alerts.Length;
        var labels = notification.GroupLabels.Count > 0 ? string.Join(' ', notification.GroupLabels.Values) : notification.TenantId;
        return $"[{notification.Status.ToUpperInvariant()}:{count}] {labels} (tenant {notification.TenantId})";
    }

    /// <summary>The plain-text part.</summary>
    public static string Text(Notification notification, string externalUrl)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var text = new StringBuilder();
        text.Append(Subject(notification)).Append("\n\n");
        foreach (var (title, alerts) in Sections(notification))
        {
            text.Append(title).Append('\n');
            foreach (var alert in alerts)
            {
                text.Append("- ").Append(alert.RuleName);
                if (alert.Value is { } value)
                {
                    text.Append(" (value ").Append(value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)).Append(')');
                }

                text.Append('\n');
                text.Append("  Labels: ").Append(string.Join(", ", alert.Labels.Select(p => $"{p.Key}={p.Value}"))).Append('\n');
                foreach (var (name, annotation) in alert.Annotations)
                {
                    text.Append("  ").Append(name).Append(": ").Append(annotation).Append('\n');
                }

                text.Append("  Since: ").Append(alert.StartsAt.UtcDateTime.ToString("u", System.Globalization.CultureInfo.InvariantCulture));
                if (alert.EndsAt is { } end)
                {
                    text.Append(", resolved ").Append(end.UtcDateTime.ToString("u", System.Globalization.CultureInfo.InvariantCulture));
                }

                text.Append('\n');
            }

            text.Append('\n');
        }

        text.Append("Sent by Keelson (").Append(externalUrl).Append(") for group ").Append(notification.GroupKey).Append('\n');
        return text.ToString();
    }

    /// <summary>The HTML part: the same content as a small table per section, every value HTML-encoded.</summary>
    public static string Html(Notification notification, string externalUrl)
    {
        ArgumentNullException.ThrowIfNull(notification);
        static string E(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
        html.Append("<h2>").Append(E(Subject(notification))).Append("</h2>");
        foreach (var (title, alerts) in Sections(notification))
        {
            html.Append("<h3>").Append(E(title)).Append("</h3><table border=\"1\" cellpadding=\"4\" style=\"border-collapse:collapse\">");
            html.Append("<tr><th>alert</th><th>labels</th><th>annotations</th><th>since</th></tr>");
            foreach (var alert in alerts)
            {
                html.Append("<tr><td>").Append(E(alert.RuleName)).Append("</td><td>")
                    .Append(E(string.Join(", ", alert.Labels.Select(p => $"{p.Key}={p.Value}")))).Append("</td><td>")
                    .Append(E(string.Join("; ", alert.Annotations.Select(p => $"{p.Key}: {p.Value}")))).Append("</td><td>")
                    .Append(E(alert.StartsAt.UtcDateTime.ToString("u", System.Globalization.CultureInfo.InvariantCulture))).Append("</td></tr>");
            }

            html.Append("</table>");
        }

        html.Append("<p>Sent by <a href=\"").Append(E(externalUrl)).Append("\">Keelson</a> for group <code>").Append(E(notification.GroupKey)).Append("</code></p></body></html>");
        return html.ToString();
    }

    private static IEnumerable<(string Title, IReadOnlyList<NotifiableAlert> Alerts)> Sections(Notification notification)
    {
        var firing = notification.Alerts.Where(a => !a.Resolved).ToList();
        var resolved = notification.Alerts.Where(a => a.Resolved).ToList();
        if (firing.Count > 0)
        {
            yield return ($"Firing ({firing.Count})", firing);
        }

        if (resolved.Count > 0)
        {
            yield return ($"Resolved ({resolved.Count})", resolved);
        }
    }
}
