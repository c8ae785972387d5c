using Keelson.Operations.Notifications;
using Keelson.Server.Alerts;
using Keelson.Server.Streams;
using Microsoft.Extensions.Options;

namespace Keelson.Server;

/// <summary>The <c>Keelson:Notifications</c> section: where links point, retries, claims, the SMTP relay.</summary>
public sealed class NotificationSettings
{
    /// <summary>The server's address as receivers should link to it (Alertmanager's <c>externalURL</c>).</summary>
    public string ExternalUrl { get; set; } = "http://127.0.0.1:8001";

    /// <summary>How long one HTTP attempt may take.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a replica's claim on an outbox row lasts; a killed replica's rows are sent by another after it.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the outbox is scanned when nothing woke the sender.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often due alert groups are written to the outbox.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Attempts in all before a notification is marked dead.</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>The wait after the first failure; doubles up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between attempts.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The SMTP relay for e-mail receivers.</summary>
    public SmtpSettings Smtp { get; } = new();
}

/// <summary>The <c>Keelson:Notifications:Smtp</c> section (see <see cref="SmtpOptions"/>).</summary>
public sealed class SmtpSettings
{
    /// <summary>The relay's host.</summary>
    public string? Host { get; set; }

    /// <summary>The relay's port.</summary>
    public int Port { get; set; } = 587;

    /// <summary>StartTlsWhenAvailable, StartTls, SslOnConnect or None.</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTlsWhenAvailable;

    /// <summary>The user to authenticate as.</summary>
    public string? Username { get; set; }

    /// <summary>The password; never logged or shown.</summary>
    public string? Password { get; set; }

    /// <summary>The sender address.</summary>
    public string From { get; set; } = "keelson@localhost";

    /// <summary>A PEM certificate trusted for the relay besides the system roots.</summary>
    public string? TrustedCertificate { get; set; }

    /// <summary>As the channel takes them.</summary>
    public SmtpOptions ToOptions(TimeSpan timeout) => new()
    {
        Host = Host, Port = Port, Security = Security, Username = Username, Password = Password, From = From, TrustedCertificate = TrustedCertificate, AttemptTimeout = timeout,
    };
}

/// <summary>
/// Notifications of both databases: per database a dispatcher (the <see cref="IAlertSink"/> the rule evaluator publishes
/// to), the pipeline that writes due groups to the outbox after silences and inhibition, and the sender loop that
/// claims and delivers outbox rows — so each replica sends, and a killed replica's rows are sent by the next one.
/// </summary>
public sealed class TenantNotifications(TenantDatabases databases, IOptions<NotificationSettings> options, TimeProvider time, ILoggerFactory loggers) : BackgroundService
{
    private readonly HttpClient http = new();
    private IReadOnlyList<INotificationChannel>? channels;
    private readonly TaskCompletionSource<(NotificationPipeline Demo, NotificationPipeline Production)> pipelines = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<NotificationSender> senders = [];
    private IDisposable? relay;

    /// <summary>
    /// Alert state changes and delivery outcomes for <c>/ws/alerts</c> subscribers; with Redis configured, of every
    /// replica, since a rule is evaluated and a notification sent by one replica only.
    /// </summary>
    public LiveFeed Feed { get; } = new();

    /// <summary>This replica's name in claims and attempt records.</summary>
    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Where the demo or production rule evaluator publishes its alerts; null before the server started.</summary>
    public IAlertSink? Sink(bool demo) =>
        pipelines.Task.IsCompletedSuccessfully ? (demo ? pipelines.Task.Result.Demo : pipelines.Task.Result.Production).Dispatcher : null;

    /// <summary>The HTTP (webhook, Slack) and e-mail channels, made from the settings the first time they are needed.</summary>
    public IReadOnlyList<INotificationChannel> Channels => LazyInitializer.EnsureInitialized(ref channels, () =>
    {
        var settings = options.Value;
        var smtp = settings.Smtp.ToOptions(settings.AttemptTimeout);
        smtp.Validate();
        return [new HttpNotifier(http, time, settings.ExternalUrl, settings.AttemptTimeout), new EmailNotifier(smtp, time, settings.ExternalUrl)];
    });

    /// <summary>
    /// One attempt straight to the receiver, outside the outbox and without retries: what a rule's "test" action sends,
    /// so its caller sees the receiver's answer at once.
    /// </summary>
    public Task<DeliveryAttempt> SendNowAsync(Notification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var channel = Channels.First(c => c.CanDeliverTo(notification.Receiver));
        return channel.SendAsync(notification, cancellationToken);
    }

    /// <summary>The outbox of the demo or production database.</summary>
    public INotificationOutbox Outbox(bool demo) => new SqlNotificationOutbox(databases.For(demo).Database);

    /// <summary>The silences of the demo or production database.</summary>
    public ISilenceStore Silences(bool demo) => new SqlSilenceStore(databases.For(demo).Database);

    /// <inheritdoc/>
    public override void Dispose()
    {
        foreach (var sender in senders)
        {
            sender.Dispose();
        }

        relay?.Dispose();

        http.Dispose();
        base.Dispose();
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (databases.For(true).Redis is { } redis)
        {
            relay = Feed.RelayThrough(redis.GetSubscriber(), "keelson:relay:alerts", "alert stream messages", loggers.CreateLogger<TenantNotifications>());
        }

        var settings = options.Value;
        var (demo, demoSender) = Create(true, settings);
        var (production, productionSender) = Create(false, settings);
        pipelines.SetResult((demo, production));
        await Task.WhenAll(
            demo.RunAsync(settings.FlushInterval, stoppingToken), demoSender.RunAsync(stoppingToken),
            production.RunAsync(settings.FlushInterval, stoppingToken), productionSender.RunAsync(stoppingToken)).ConfigureAwait(false);
    }

    private (NotificationPipeline Pipeline, NotificationSender Sender) Create(bool demo, NotificationSettings settings)
    {
        var outbox = Outbox(demo);
        var sender = new NotificationSender(outbox, Channels, new NotificationSenderOptions
        {
            Retry = new RetryPolicy { MaxAttempts = settings.MaxAttempts, InitialDelay = settings.InitialDelay, MaxDelay = settings.MaxDelay },
            ClaimLease = settings.ClaimLease,
            PollInterval = settings.PollInterval,
        }, Owner, time, loggers.CreateLogger<NotificationSender>());
        senders.Add(sender);
        sender.Attempted += entry =>
        {
            if (Feed.Wanted(demo, entry.TenantId))
            {
                Feed.Publish(demo, entry.TenantId, AlertSocket.Message(entry));
            }
        };
        var pipeline = new NotificationPipeline(new Dispatcher(time), Silences(demo), outbox, sender, time, loggers.CreateLogger<NotificationPipeline>());
        return (pipeline, sender);
    }
}
