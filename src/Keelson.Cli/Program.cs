using Keelson.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

return await KeelsonCli.RunAsync(args, Console.Out, Console.Error, cancellation.Token, Console.In).ConfigureAwait(false);
