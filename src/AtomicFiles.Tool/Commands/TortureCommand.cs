using System.Globalization;
using AtomicFiles.Tool.Torture;

namespace AtomicFiles.Tool.Commands;

/// <summary>
/// `atomicfile torture`: the kill -9 demo. Writer processes commit self-checking versions through the library — single
/// files, and transactions over a five-file set — while this process kills them at random and verifies every file after
/// every kill. Exit code 1 on any violation.
/// </summary>
internal sealed class TortureCommand : ICommand
{
    public string Name => "torture";

    public string Usage => "torture [--dir D] [--seconds N] [--writers K] [--transaction-writers K] [--size BYTES] [--kills N]";

    public string Summary => "Kill -9 writers at random for N seconds (10) and verify every file after every kill.";

    public int Run(string[] args)
    {
        string? directory = null;
        var seconds = TortureSettings.DefaultDuration.TotalSeconds;
        var writers = TortureSettings.DefaultWriters;
        var transactionWriters = TortureSettings.DefaultTransactionWriters;
        var size = TortureSettings.DefaultFileSize;
        long? maxKills = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--dir" when value is not null: directory = value; break;
                case "--seconds" when value is not null: seconds = Positive(args[i], value); break;
                case "--writers" when value is not null: writers = Whole(args[i], value, minimum: 1); break;
                case "--transaction-writers" when value is not null: transactionWriters = Whole(args[i], value, minimum: 0); break;
                case "--size" when value is not null: size = Whole(args[i], value, minimum: TortureContent.MinimumSize); break;
                case "--kills" when value is not null: maxKills = Whole(args[i], value, minimum: 1); break;
                default: throw new UsageException($"unknown or incomplete option '{args[i]}'");
            }

            i++;
        }

        var fresh = directory is null;
        directory = fresh ? Directory.CreateTempSubdirectory("atomicfile-torture-").FullName : Directory.CreateDirectory(directory!).FullName;
        var settings = new TortureSettings(directory, TimeSpan.FromSeconds(seconds), writers, size, TortureWriterLauncher.ForThisTool())
        {
            MaxKills = maxKills,
            TransactionWriters = transactionWriters,
        };

        Console.WriteLine($"Torturing {directory}: {writers} file writer and {transactionWriters} transaction writer processes, kill -9 at random moments, every file verified after every kill.");
        var live = !Console.IsOutputRedirected;
        var lastLine = TimeSpan.Zero;
        var result = new TortureHarness(settings).Run(p =>
        {
            var line = string.Create(CultureInfo.InvariantCulture, $"{p.Elapsed.TotalSeconds,6:0.0} s  kills {p.Kills,7:N0} (tx {p.TransactionKills,5:N0})  commits {p.Commits,9:N0} ({p.Commits / Math.Max(p.Elapsed.TotalSeconds, 0.001),6:N0}/s)  files verified {p.FilesVerified,9:N0}  violations {p.Violations:N0}");
            if (live)
            {
                Console.Write("\r" + line);
            }
            else if (p.Elapsed - lastLine >= TimeSpan.FromSeconds(10))
            {
                Console.WriteLine(line);
                lastLine = p.Elapsed;
            }
        }, CancellationToken.None);

        if (live)
        {
            Console.WriteLine();
        }

        TortureSummary.Write(result, Console.Out);
        if (result.Passed && fresh)
        {
            Directory.Delete(directory, recursive: true);
        }
        else if (!result.Passed)
        {
            Console.WriteLine($"The files are kept for inspection in {directory}");
        }

        return result.Passed ? CommandLine.Success : CommandLine.Failure;
    }

    private static int Whole(string option, string value, int minimum) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= minimum
            ? number
            : throw new UsageException($"{option} needs a whole number of at least {minimum}, not '{value}'");

    private static double Positive(string option, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new UsageException($"{option} needs a positive number, not '{value}'");
}
