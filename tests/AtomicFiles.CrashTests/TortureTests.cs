using AtomicFiles.CrashTests.NaiveWriter;
using AtomicFiles.Tool.Torture;

namespace AtomicFiles.CrashTests;

/// <summary>
/// The kill -9 torture in CI: the library must come through at least 1,000 random kills (100 on Windows, where starting
/// a writer process costs far more, and .ci/windows-tests runs the shipped tool's demo for 200 more) — of single-file and
/// of transaction writers — without a single violation and leave no temp after Recover, and the same harness must catch
/// a naive in-place writer and a naive journal-less transaction writer.
/// </summary>
public sealed class TortureTests(ITestOutputHelper output) : IDisposable
{
    private static readonly int s_kills = OperatingSystem.IsWindows() ? 100 : 1000;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Torture_Library_SurvivesTheKillsWithoutViolationAndRecoverLeavesNoTemp()
    {
        var (program, args) = ManagedProgram.Command(ToolProcess.ToolDll);
        var launcher = new TortureWriterLauncher(program, [.. args, TortureWriterLauncher.WriterVerb]);
        // The kill rate is bound by starting writer processes and, after a transaction writer's kill, by waiting for the
        // transaction in flight: 187 s on a 2-core machine at load average 13 (about 25% slower than without
        // transaction writers there). The 6-minute cap leaves room for a busier one; the kill count is asserted, not assumed.
        var settings = new TortureSettings(_dir.Path, TimeSpan.FromMinutes(6), Writers: 4, FileSize: 16 * 1024, launcher)
        {
            TransactionWriters = 2,
            MaxKills = s_kills,
            MaxWriterLifetime = TimeSpan.FromMilliseconds(150),
        };

        var result = Run(settings);

        result.Kills.Should().BeGreaterThanOrEqualTo(s_kills);
        // Two of the six writers commit transactions, but fewer than a third of the kills hit them: when several writers
        // are due at once the lowest slot (a file writer) goes first, and under Wine a fifth was too close to call.
        result.TransactionKills.Should().BeGreaterThanOrEqualTo(s_kills / 10, "the transaction writers must be killed often, not now and then");
        result.ViolationCount.Should().Be(0, string.Join(Environment.NewLine, result.SampleViolations));
        result.TransactionChecks.Should().BeGreaterThan(result.TransactionKills, "the transaction set is recovered and read after every kill of a transaction writer");
        result.TempsLeft.Should().Be(0);
        result.TempsRemoved.Should().Be(result.TempsBeforeRecover);
        result.Commits.Should().AllSatisfy(c => c.Value.Should().BePositive($"every method ({c.Key}) must be exercised"));
        result.FilesVerified.Should().BeGreaterThan(result.Kills, "every kill is followed by reading every file");
    }

    [Fact]
    public void Torture_NaiveInPlaceAndTransactionWriters_AreCaughtWithViolations()
    {
        // Runs until both kinds of violation are seen (or the cap), not for a fixed number of kills: under load a
        // transaction writer can be killed before its first commit many times in a row, and a fixed budget then
        // catches nothing in the transaction set.
        var settings = new TortureSettings(_dir.Path, TimeSpan.FromMinutes(3), Writers: 4, FileSize: 64 * 1024, NaiveWriterLauncher.Launcher)
        {
            MaxWriterLifetime = TimeSpan.FromMilliseconds(600),
        };
        using var caught = new CancellationTokenSource();

        var result = Run(settings, p =>
        {
            if (p.TransactionViolations > 0 && p.Violations > p.TransactionViolations)
            {
                caught.Cancel();
            }
        }, caught.Token);

        result.Kills.Should().BePositive();
        result.TotalCommits.Should().BePositive("the control must really write, or catching nothing would prove nothing");
        (result.ViolationCount - result.TransactionViolationCount).Should().BePositive("the harness must catch torn, empty or stale files from in-place writes");
        result.TransactionKills.Should().BePositive();
        result.TransactionViolationCount.Should().BePositive("the harness must catch a set of files left at different versions");
    }

    private TortureResult Run(TortureSettings settings, Action<TortureProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var result = new TortureHarness(settings).Run(progress, cancellationToken);
        using var summary = new StringWriter();
        TortureSummary.Write(result, summary);
        output.WriteLine(summary.ToString());
        return result;
    }
}
