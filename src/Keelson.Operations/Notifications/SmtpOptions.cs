namespace Keelson.Operations.Notifications;

/// <summary>How the connection to the SMTP relay is secured.</summary>
public enum SmtpSecurity
{
    /// <summary>STARTTLS when the server offers it, plain otherwise (MailKit's <c>StartTlsWhenAvailable</c>).</summary>
    StartTlsWhenAvailable,

    /// <summary>STARTTLS required: a server that does not offer it fails the attempt.</summary>
    StartTls,

    /// <summary>TLS from the first byte (SMTPS, usually port 465).</summary>
    SslOnConnect,

    /// <summary>Never TLS; only for a relay on loopback.</summary>
    None,
}

/// <summary>The SMTP relay e-mail receivers are sent through (<c>Keelson:Notifications:Smtp</c>).</summary>
public sealed record SmtpOptions
{
    /// <summary>The relay's host; e-mail receivers fail their attempts while it is not set.</summary>
    public string? Host { get; init; }

    /// <summary>The relay's port: 587 (submission) unless said otherwise.</summary>
    public int Port { get; init; } = 587;

    /// <summary>TLS: STARTTLS when offered by default.</summary>
    public SmtpSecurity Security { get; init; } = SmtpSecurity.StartTlsWhenAvailable;

    /// <summary>The user name to authenticate as; no authentication when not set.</summary>
    public string? Username { get; init; }

    /// <summary>The password; a secret, never logged or shown.</summary>
    public string? Password { get; init; }

    /// <summary>The sender address.</summary>
    public string From { get; init; } = "keelson@localhost";

    /// <summary>How long one attempt (connect, TLS, auth, send) may take.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A PEM certificate file trusted for the relay besides the system's roots (a relay with a private certificate);
    /// the server's certificate must be exactly this one.
    /// </summary>
    public string? TrustedCertificate { get; init; }

    /// <summary>Throws naming the field when the options cannot work.</summary>
    public void Validate()
    {
        if (Port is < 1 or > 65535)
        {
            throw new ArgumentException($"Port must be 1–65535; got {Port}.", nameof(Port));
        }

        if (Password is not null && Username is null)
        {
            throw new ArgumentException("Password is set without Username; set both, or neither for a relay without authentication.", nameof(Username));
        }

        if (AttemptTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"AttemptTimeout must be positive; got {AttemptTimeout}.", nameof(AttemptTimeout));
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"SmtpOptions {{ Host = {Host}, Port = {Port}, Security = {Security}, Username = {Username}, Password = {(Password is null ? "(none)" : "(set)")}, From = {From} }}";
}
