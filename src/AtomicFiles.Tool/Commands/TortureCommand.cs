using System.CommandLine;
using System.Globalization;
using AtomicFiles.Tool.Torture;

namespace AtomicFiles.Tool.Commands;

/// <summary>
/// `atomicfile torture`: the kill -9 demo. Writer processes commit self-checking versions through the library — single
/// files, and transactions over a five-file set — while this process kills them at random and verifies every file after
/// every kill. Exit 1 on any violation, and on a run too short to have killed or verified anything (INCONCLUSIVE).
/// </summary>
internal static class TortureCommand
{
    // A day: long enough for any soak, short enough that TimeSpan and the kill arithmetic cannot overflow.
    private const double MaxSeconds = 86_400;
    private const int MaxWriters = 64;
    private const int MaxFileSize = 64 * 1024 * 1024;

    internal static Command Create()
    {
        var directory = PathArgument.Option(
            "--dir", "Where to run: an existing directory (its torture files are kept), or a new one in an existing parent (removed after a pass). Default: a new temp directory.");
        var seconds = NumberOption.Seconds("--seconds", MaxSeconds, TortureSettings.DefaultDuration.TotalSeconds, "How long to run");
        var writers = NumberOption.Whole("--writers", 1, MaxWriters, TortureSettings.DefaultWriters, "Single-file writer processes");
        var transactionWriters = NumberOption.Whole("--transaction-writers", 0, MaxWriters, TortureSettings.DefaultTransactionWriters, "Transaction writer processes");
        var size = NumberOption.Whole("--size", TortureContent.MinimumSize, MaxFileSize, TortureSettings.DefaultFileSize, "Bytes per committed version");
        var kills = NumberOption.Whole("--kills", 0L, long.MaxValue, 0L, "Stop after this many kills; 0 for no limit");
        var command = new Command("torture", "Kill -9 writers at random and verify every file after every kill.")
        {
            directory, seconds, writers, transactionWriters, size, kills,
        };
        command.SetAction(parseResult => Run(
            parseResult.GetValue(directory),
            TimeSpan.FromSeconds(parseResult.GetValue(seconds)),
            parseResult.GetValue(writers),
            parseResult.GetValue(transactionWriters),
            parseResult.GetValue(size),
            parseResult.GetValue(kills) is var k and > 0 ? k : null));
        return command;
    }

    private static int Run(string? requested, TimeSpan duration, int writers, int transactionWriters, int size, long? maxKills)
    {
        var (directory, created) = Prepare(requested);
        var settings = new TortureSettings(directory, duration, writers, size, TortureWriterLauncher.ForThisTool())
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
            else if (lastLine == TimeSpan.Zero || p.Elapsed - lastLine >= TimeSpan.FromSeconds(1))
            {
                // A pipe (CI logs, `| tee`) gets a line a second: progress within a second, without a flood.
                Console.WriteLine(line);
                lastLine = p.Elapsed;
            }
        }, CancellationToken.None);

        if (live)
        {
            Console.WriteLine();
        }

        TortureSummary.Write(result, Console.Out);
        var clean = result.ViolationCount == 0 && result.TempsLeft == 0;
        if (clean && created)
        {
            Directory.Delete(directory, recursive: true);
        }
        else if (!clean)
        {
            Console.WriteLine($"The files are kept for inspection in {directory}");
        }

        if (result.Inconclusive)
        {
            Console.Error.WriteLine($"{CommandLine.Name} torture: INCONCLUSIVE: {result.Kills:N0} kills and {result.FilesVerified:N0} files verified; run longer (--seconds).");
        }

        return result.Passed ? CommandLine.Success : CommandLine.Failure;
    }

    /// <returns>The full path to run in, and whether this run created it (and so removes it after a pass).</returns>
    private static (string Directory, bool Created) Prepare(string? requested)
    {
        if (requested is null)
        {
            return (Directory.CreateTempSubdirectory("atomicfile-torture-").FullName, true);
        }

        var full = Path.GetFullPath(requested);
        if (Directory.Exists(full))
        {
            return (full, false);
        }

        var parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(full));
        if (parent is null || !Directory.Exists(parent))
        {
            throw new DirectoryNotFoundException($"Could not find '{parent ?? full}', the parent of --dir '{full}': only the last directory is created.");
        }

        Directory.CreateDirectory(full);
        return (full, true);
    }
}
