namespace AtomicFiles.CrashTests.Transactions;

/// <summary>
/// Two processes commit transactions over the same five files in two directories, each stamping its id and
/// iteration into all five. Whoever holds the root's lock must always find one stamp in all five files: if two
/// transactions ever interleaved, a reader under the lock would see a mix. The writers pause between transactions,
/// or the lock's polling waiters would rarely win it from a writer that re-takes it at once.
/// </summary>
public sealed class ConcurrentTransactionTests : IDisposable
{
    // Enough transactions, with pauses, that the observer's polling wait for the lock (up to 50 ms between tries)
    // gets in between both writers' transactions many times, even on a loaded machine where they commit quickly:
    // with 30 and 10 ms it once saw only one writer's.
    // Under Wine, where a transaction is far slower than on Linux, 30 ms pauses left the lock almost never free of both
    // writers: the observer got it only before and after them (docs/windows.md).
    private const int Iterations = 100;
    private static readonly int s_pauseMilliseconds = OperatingSystem.IsWindows() ? 150 : 30;
    private static readonly string[] s_files = ["one/a", "one/b", "one/c", "two/d", "two/e"];

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Transactions_FromTwoProcessesOnOneRoot_NeverInterleave()
    {
        var root = _dir.Path;
        Directory.CreateDirectory(Path.Join(root, "one"));
        Directory.CreateDirectory(Path.Join(root, "two"));
        var writers = new[] { "p1", "p2" }.Select(id => Task.Run(() => ToolProcess.Run(
            ["transaction", "--repeat", Iterations.ToString(System.Globalization.CultureInfo.InvariantCulture), "--pause-ms", s_pauseMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture), root,
             .. s_files.SelectMany(f => new[] { "--write", f, $"{id}-{{n}}" })]))).ToArray();

        var observed = new HashSet<string>();
        while (!writers.All(w => w.IsCompleted))
        {
            using var tx = AtomicFile.BeginTransaction(root, new AtomicFileOptions { Durability = Durability.None });
            var stamps = s_files.Select(f => Path.Join(root, f)).Select(p => File.Exists(p) ? File.ReadAllText(p) : "absent").Distinct().ToArray();
            stamps.Should().ContainSingle("under the root's lock no transaction is half applied, but found {0}", string.Join(", ", stamps));
            observed.Add(stamps[0]);
            await Task.Yield();
        }

        foreach (var writer in writers)
        {
            var result = await writer;
            result.ExitCode.Should().Be(0, result.StandardError);
        }

        observed.Should().Contain(s => s.StartsWith("p1-", StringComparison.Ordinal)).And.Contain(s => s.StartsWith("p2-", StringComparison.Ordinal),
            "the observer saw both writers' transactions, so it really checked between them");
        s_files.Select(f => File.ReadAllText(Path.Join(root, f))).Distinct().Should().ContainSingle();
        TransactionFileSet.Leftovers(root).Should().BeEmpty();
    }
}
