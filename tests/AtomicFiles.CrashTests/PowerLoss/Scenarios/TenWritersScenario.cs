using System.Diagnostics;
using System.Text;
using AtomicFiles.PowerLoss.Scenarios;

namespace AtomicFiles.CrashTests.PowerLoss.Scenarios;

/// <summary>
/// The embedded-flash test, literally: 10 processes commit at once and the power is cut. Each writer replaces its own
/// file (Create), publishes a new one (CreateNew), appends its line to a shared ledger (Update, under the sidecar
/// lock), commits a transaction in its own root, and one in a root all ten share. Every process's markers are
/// recorded, and every state is checked for every process's promises.
/// </summary>
public sealed class TenWritersScenario(string variant) : PowerLossScenario(variant)
{
    /// <summary>The verb that makes this test assembly one writer process: <c>--ten-writers-worker DIRECTORY INDEX VARIANT</c>.</summary>
    public const string WorkerVerb = "--ten-writers-worker";

    private const int Writers = 10;

    /// <summary>A writer's first line: it is started and waits for the word to begin.</summary>
    private const string ReadyLine = "READY";

    private static readonly byte[] LedgerHeader = "ledger\n"u8.ToArray();

    public override void Setup(string directory)
    {
        Directory.CreateDirectory(Path.Join(directory, "own"));
        Directory.CreateDirectory(Path.Join(directory, "shared"));
        File.WriteAllBytes(Path.Join(directory, "shared", "ledger.txt"), LedgerHeader);
        foreach (var root in Enumerable.Range(0, Writers).Select(i => OwnRoot(directory, i)).Append(SharedRoot(directory)))
        {
            Directory.CreateDirectory(Path.Join(root, "d"));
            File.WriteAllBytes(Path.Join(root, "a.bin"), OldTx(0));
            File.WriteAllBytes(Path.Join(root, "d", "b.bin"), OldTx(1));
        }

        for (var i = 0; i < Writers; i++)
        {
            File.WriteAllBytes(OwnFile(directory, i), OldOwn(i));
        }
    }

    public override void Workload(string directory, IWorkloadMarkers markers)
    {
        var gate = new object();

        // The writers start together, once all ten processes are up: started one by one they would commit one by one,
        // spread over the seconds the runtime takes to start ten times on two cores, with the neighbour's flushes between.
        using var ready = new CountdownEvent(Writers);
        using var go = new ManualResetEventSlim();
        var workers = Enumerable.Range(0, Writers).Select(i => Task.Factory.StartNew(() =>
        {
            var start = new ProcessStartInfo(AtomicFiles.Testing.ToolProcess.DotnetHost)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var arg in new[] { Path.Join(AppContext.BaseDirectory, "AtomicFiles.CrashTests.dll"), WorkerVerb, directory, $"{i}", Variant })
            {
                start.ArgumentList.Add(arg);
            }

            using var worker = Process.Start(start)!;
            var stderr = worker.StandardError.ReadToEndAsync();
            var isReady = false;
            try
            {
                while (worker.StandardOutput.ReadLine() is { } line)
                {
                    if (line == ReadyLine)
                    {
                        isReady = true;
                        ready.Signal();
                        go.Wait();
                        worker.StandardInput.WriteLine("go");
                        worker.StandardInput.Flush();
                    }
                    else if (line.StartsWith("MARK ", StringComparison.Ordinal))
                    {
                        lock (gate)
                        {
                            markers.Mark(line[5..]);
                        }

                        worker.StandardInput.WriteLine("ok");
                        worker.StandardInput.Flush();
                    }
                }
            }
            finally
            {
                // A writer that died before it was ready must not hold the others back forever.
                if (!isReady)
                {
                    ready.Signal();
                }
            }

            worker.WaitForExit();
            if (worker.ExitCode != 0)
            {
                throw new InvalidOperationException($"Writer {i} failed (exit code {worker.ExitCode}): {stderr.Result}");
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        ready.Wait();
        go.Set();
        Task.WaitAll(workers);
    }

    /// <summary>One writer process: its five commits, each followed by its marker.</summary>
    public static int RunWorker(IReadOnlyList<string> args)
    {
        var (directory, i, variant) = (args[0], int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args.Count > 2 ? args[2] : "");
        var options = LibraryVariant.Options(variant);
        void Mark(string name)
        {
            Console.Out.WriteLine($"MARK {name}");
            Console.Out.Flush();
            _ = Console.In.ReadLine();
        }

        Console.Out.WriteLine(ReadyLine);
        Console.Out.Flush();
        _ = Console.In.ReadLine();

        AtomicFile.WriteAllBytes(OwnFile(directory, i), NewOwn(i), options);
        Mark(CreateMarker(i));

        using (var writer = AtomicFile.CreateNew(FreshFile(directory, i), options))
        {
            writer.Write(NewOwn(i));
            writer.Commit();
        }

        Mark(CreateNewMarker(i));

        AtomicFile.Update(Ledger(directory), old => [.. old ?? [], .. Encoding.ASCII.GetBytes($"w{i}\n")], options);
        Mark(UpdateMarker(i));

        foreach (var (root, marker, version) in new[] { (OwnRoot(directory, i), OwnTxMarker(i), i), (SharedRoot(directory), SharedTxMarker(i), i) })
        {
            using (var transaction = AtomicFile.BeginTransaction(root, options))
            {
                transaction.WriteAllBytes(Path.Join(root, "a.bin"), NewTx(0, version));
                transaction.WriteAllBytes(Path.Join(root, "d", "b.bin"), NewTx(1, version));
                transaction.Commit();
            }

            Mark(marker);
        }

        return 0;
    }

    /// <summary>Each transaction root first (completing or rolling back its journal and sweeping its tree), then the plain directories.</summary>
    public override void Recover(string directory)
    {
        var options = LibraryVariant.Options(Variant);
        foreach (var root in Enumerable.Range(0, Writers).Select(i => OwnRoot(directory, i)).Append(SharedRoot(directory)))
        {
            AtomicFile.Recover(root, options);
        }

        AtomicFile.Recover(Path.Join(directory, "own"), options);
        AtomicFile.Recover(Path.Join(directory, "shared"), options);
    }

    public override void Check(string directory, CrashCheck check)
    {
        for (var i = 0; i < Writers; i++)
        {
            ContentChecks.OldOrNew(check, OwnFile(directory, i), OldOwn(i), NewOwn(i), CreateMarker(i));
            CheckFresh(check, FreshFile(directory, i), NewOwn(i), CreateNewMarker(i));
            var version = TransactionVersion(check, OwnRoot(directory, i), [i]);
            if (version == "old" && check.IsAfter(OwnTxMarker(i)))
            {
                check.Fail(Invariant.Durable, $"tx{i} is old after '{OwnTxMarker(i)}'");
            }
        }

        var shared = TransactionVersion(check, SharedRoot(directory), Enumerable.Range(0, Writers));
        if (shared == "old" && Enumerable.Range(0, Writers).Any(i => check.IsAfter(SharedTxMarker(i))))
        {
            check.Fail(Invariant.Durable, "the shared transaction root is old after a writer's transaction there returned");
        }

        CheckLedger(check, Ledger(directory));
        ContentChecks.NoLeftovers(check, directory);
    }

    private static void CheckFresh(CrashCheck check, string path, byte[] @new, string marker)
    {
        var actual = File.Exists(path) ? File.ReadAllBytes(path) : null;
        if (actual is not null && !actual.AsSpan().SequenceEqual(@new))
        {
            check.Fail(Invariant.CreateNewSafe, $"{Path.GetFileName(path)} is {ContentChecks.Describe(actual)}, neither absent nor complete new");
        }
        else if (actual is null && check.IsAfter(marker))
        {
            check.Fail(Invariant.Durable, $"{Path.GetFileName(path)} is absent after '{marker}'");
        }
    }

    /// <summary>"old", or "w{k}" if both files are writer k's version; anything else breaks all-or-nothing.</summary>
    private static string TransactionVersion(CrashCheck check, string root, IEnumerable<int> writers)
    {
        var a = File.Exists(Path.Join(root, "a.bin")) ? File.ReadAllBytes(Path.Join(root, "a.bin")) : null;
        var b = File.Exists(Path.Join(root, "d", "b.bin")) ? File.ReadAllBytes(Path.Join(root, "d", "b.bin")) : null;
        string Version(byte[]? actual, int file) =>
            actual is not null && actual.AsSpan().SequenceEqual(OldTx(file)) ? "old"
            : writers.FirstOrDefault(k => actual is not null && actual.AsSpan().SequenceEqual(NewTx(file, k)), -1) is var k and >= 0 ? $"w{k}"
            : ContentChecks.Describe(actual);
        var (va, vb) = (Version(a, 0), Version(b, 1));
        if (va != vb)
        {
            check.Fail(Invariant.AllOrNothing, $"{Path.GetFileName(root)}: a.bin {va}, d/b.bin {vb}");
        }

        return va;
    }

    /// <summary>The ledger: its header, then each writer's line at most once; a line whose Update returned must be there.</summary>
    private static void CheckLedger(CrashCheck check, string path)
    {
        var content = File.Exists(path) ? File.ReadAllBytes(path) : null;
        if (content is null || !content.AsSpan().StartsWith(LedgerHeader) || content[^1] != (byte)'\n')
        {
            check.Fail(Invariant.OldOrNew, $"ledger.txt is {ContentChecks.Describe(content)}, not a complete version");
            return;
        }

        var lines = Encoding.ASCII.GetString(content, LedgerHeader.Length, content.Length - LedgerHeader.Length).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var valid = Enumerable.Range(0, Writers).Select(i => $"w{i}").ToHashSet(StringComparer.Ordinal);
        if (lines.Any(l => !valid.Contains(l)) || lines.Distinct(StringComparer.Ordinal).Count() != lines.Length)
        {
            check.Fail(Invariant.OldOrNew, $"ledger.txt holds lines no version has: {string.Join(' ', lines)}");
            return;
        }

        foreach (var i in Enumerable.Range(0, Writers).Where(i => check.IsAfter(UpdateMarker(i)) && !lines.Contains($"w{i}", StringComparer.Ordinal)))
        {
            check.Fail(Invariant.Durable, $"ledger.txt lacks w{i} after '{UpdateMarker(i)}'");
        }
    }

    private static string OwnFile(string directory, int i) => Path.Join(directory, "own", $"w{i}.bin");

    private static string FreshFile(string directory, int i) => Path.Join(directory, "own", $"w{i}-new.bin");

    private static string Ledger(string directory) => Path.Join(directory, "shared", "ledger.txt");

    private static string OwnRoot(string directory, int i) => Path.Join(directory, $"tx{i}");

    private static string SharedRoot(string directory) => Path.Join(directory, "sharedtx");

    private static string CreateMarker(int i) => $"w{i} create";

    private static string CreateNewMarker(int i) => $"w{i} createnew";

    private static string UpdateMarker(int i) => $"w{i} update";

    private static string OwnTxMarker(int i) => $"w{i} tx";

    private static string SharedTxMarker(int i) => $"w{i} shared tx";

    private static byte[] OldOwn(int i) => TestContent.Bytes(3000 + (i * 100), 800 + i);

    private static byte[] NewOwn(int i) => TestContent.Bytes(5000 + (i * 100), 820 + i);

    private static byte[] OldTx(int file) => TestContent.Bytes(1500 + (file * 1000), 850 + file);

    private static byte[] NewTx(int file, int writer) => TestContent.Bytes(2500 + (file * 1000) + (writer * 10), 860 + (writer * 2) + file);
}
