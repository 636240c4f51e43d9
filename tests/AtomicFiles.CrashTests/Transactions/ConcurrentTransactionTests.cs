namespace AtomicFiles.CrashTests.Transactions;

/// <summary>
/// Two processes commit transactions over the same five files in two directories, each stamping its id and
/// iteration into all five. Whoever holds the root's lock must always find one stamp in all five files: if two
/// transactions ever interleaved, a reader under the lock would see a mix. The writers pause between transactions,
/// or the lock's polling waiters would rarely win it from a writer that re-takes it at once.
/// </summary>
public sealed class ConcurrentTransactionTests : IDisposable
{
    // The writers go on until the observer has seen both writers' transactions and either one's hundredth: enough
    // checks between them on a fast machine. On a slow one (Wine under load) the observer's polling wait for the lock
    // (up to 50 ms between tries) may win it only a few times in a hundred transactions, so a fixed count once ended
    // with it having seen one writer only; the cap just bounds a run whose observer never gets in.
    private const int MinimumIterations = 100;
    private const int MaximumIterations = 2_000;
    private static readonly int s_pauseMilliseconds = OperatingSystem.IsWindows() ? 150 : 30;
    private static readonly string[] s_files = ["one/a", "one/b", "one/c", "two/d", "two/e"];

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Transactions_FromTwoProcessesOnOneRoot_NeverInterleave()
    {
        var root = Path.Join(_dir.Path, "root");
        var stopFile = Path.Join(_dir.Path, "stop");
        Directory.CreateDirectory(Path.Join(root, "one"));
        Directory.CreateDirectory(Path.Join(root, "two"));
        var writers = new[] { "p1", "p2" }.Select(id => Task.Run(() => ToolProcess.Run(
            ["transaction", "--repeat", Invariant(MaximumIterations), "--until-exists", stopFile, "--pause-ms", Invariant(s_pauseMilliseconds), root,
             .. s_files.SelectMany(f => new[] { "--write", f, $"{id}-{{n}}" })],
            timeout: TimeSpan.FromMinutes(10)))).ToArray();

        var observed = new HashSet<string>();
        while (!writers.All(w => w.IsCompleted))
        {
            using (var tx = AtomicFile.BeginTransaction(root, new AtomicFileOptions { Durability = Durability.None }))
            {
                var stamps = s_files.Select(f => Path.Join(root, f)).Select(p => File.Exists(p) ? File.ReadAllText(p) : "absent").Distinct().ToArray();
                stamps.Should().ContainSingle("under the root's lock no transaction is half applied, but found {0}", string.Join(", ", stamps));
                observed.Add(stamps[0]);
            }

            if (!File.Exists(stopFile) && SawBothWriters(observed) && observed.Any(s => Iteration(s) >= MinimumIterations))
            {
                File.WriteAllText(stopFile, "");
            }

            await Task.Yield();
        }

        foreach (var writer in writers)
        {
            var result = await writer;
            result.ExitCode.Should().Be(0, result.StandardError);
        }

        SawBothWriters(observed).Should().BeTrue(
            "the observer must see both writers' transactions, so it really checked between them, but in {0} transactions each it saw only {1}",
            MaximumIterations, string.Join(", ", observed));
        s_files.Select(f => File.ReadAllText(Path.Join(root, f))).Distinct().Should().ContainSingle();
        TransactionFileSet.Leftovers(root).Should().BeEmpty();
    }

    private static bool SawBothWriters(IReadOnlyCollection<string> observed) =>
        observed.Any(s => s.StartsWith("p1-", StringComparison.Ordinal)) && observed.Any(s => s.StartsWith("p2-", StringComparison.Ordinal));

    /// <summary>The transaction number in a stamp such as "p2-57"; 0 for "absent".</summary>
    private static int Iteration(string stamp) =>
        stamp.IndexOf('-', StringComparison.Ordinal) is var dash and >= 0 ? int.Parse(stamp.AsSpan(dash + 1), System.Globalization.CultureInfo.InvariantCulture) : 0;

    private static string Invariant(int number) => number.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
