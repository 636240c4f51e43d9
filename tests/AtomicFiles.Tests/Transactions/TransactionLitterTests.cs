using AtomicFiles.FaultInjection;
using AtomicFiles.Transactions;

namespace AtomicFiles.Tests.Transactions;

/// <summary>
/// What a power cut between the staged temps' flush and the journal's leaves: temps in several directories under
/// the root, and a journal that is empty, zero-filled or torn, naming none or few of them. Recovery of the root —
/// <see cref="AtomicFile.Recover"/> or the one <see cref="AtomicFile.BeginTransaction"/> runs — leaves no temp of it
/// anywhere under the root. The control is <see cref="InjectedDefect.RecoverySweepsOnlyJournaledTemps"/>, the
/// recovery before the tree sweep, which leaves them.
/// </summary>
public sealed class TransactionLitterTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _stagedState;

    public TransactionLitterTests()
    {
        _stagedState = _dir.File("staged");
        TransactionFileSet.CommitCapturing(_dir.File("root"), _stagedState, step: ProtocolStep.JournalWrite);
    }

    public enum JournalOnDisk
    {
        Empty,
        ZeroFilled,
        HeaderAndOneLineThenZeros,
    }

    public void Dispose() => _dir.Dispose();

    [RequiresTheory(Requirement.Linux)]
    [InlineData(JournalOnDisk.Empty, false)]
    [InlineData(JournalOnDisk.ZeroFilled, false)]
    [InlineData(JournalOnDisk.HeaderAndOneLineThenZeros, false)]
    [InlineData(JournalOnDisk.Empty, true)]
    [InlineData(JournalOnDisk.ZeroFilled, true)]
    [InlineData(JournalOnDisk.HeaderAndOneLineThenZeros, true)]
    public void Recover_DamagedJournal_LeavesNoTempAnywhereUnderTheRoot(JournalOnDisk journal, bool byBeginTransaction)
    {
        var copy = Copy($"{journal}-{byBeginTransaction}");
        Damage(copy, journal);
        TransactionFileSet.Leftovers(copy).Where(f => f.EndsWith(".tmp", StringComparison.Ordinal)).Should().HaveCount(3, "the staged temps are in three directories");

        Recover(copy, byBeginTransaction, InjectedDefect.None);

        TransactionFileSet.Classify(copy).Should().Be("old");
        TransactionFileSet.Leftovers(copy).Should().BeEmpty();
    }

    [RequiresTheory(Requirement.Linux)]
    [InlineData(false)]
    [InlineData(true)]
    public void Recover_DamagedJournalWithoutTheTreeSweep_LeavesTempsInSubdirectories(bool byBeginTransaction)
    {
        var copy = Copy($"mutant-{byBeginTransaction}");
        Damage(copy, JournalOnDisk.ZeroFilled);

        Recover(copy, byBeginTransaction, InjectedDefect.RecoverySweepsOnlyJournaledTemps);

        TransactionFileSet.Classify(copy).Should().Be("old");
        TransactionFileSet.Leftovers(copy).Should().Contain(f => f.StartsWith("sub", StringComparison.Ordinal));
    }

    [RequiresFact(Requirement.Linux)]
    public void Recover_DamagedJournal_NeverFollowsALinkOutOfTheRootNorTouchesALiveTemp()
    {
        var copy = Copy("links");
        Damage(copy, JournalOnDisk.ZeroFilled);
        var outside = _dir.File("outside");
        Directory.CreateDirectory(outside);
        var outsideTemp = Path.Join(outside, ".x.txt.abcdefghij.tmp");
        File.WriteAllText(outsideTemp, "not this root's");
        Directory.CreateSymbolicLink(Path.Join(copy, "sub", "link"), outside);
        using var live = AtomicFile.Create(Path.Join(copy, "sub", "deep", "live.txt"));
        live.Write("x"u8);

        AtomicFile.Recover(copy);

        File.Exists(outsideTemp).Should().BeTrue("a link out of the root is not followed");
        TransactionFileSet.Leftovers(copy).Where(f => !f.StartsWith(Path.Join("sub", "link"), StringComparison.Ordinal))
            .Should().ContainSingle("only the live writer's temp is left").Which.Should().Contain("live.txt");
    }

    private static void Damage(string root, JournalOnDisk journal)
    {
        var path = Path.Join(root, TransactionRoot.JournalFileName);
        var bytes = File.ReadAllBytes(path);
        var firstLineEnds = bytes.AsSpan(JournalFormat.Header.Length).IndexOf((byte)'\n') + JournalFormat.Header.Length + 1;
        File.WriteAllBytes(path, journal switch
        {
            JournalOnDisk.Empty => [],
            JournalOnDisk.ZeroFilled => new byte[bytes.Length],
            _ => [.. bytes.AsSpan(0, firstLineEnds), .. new byte[bytes.Length - firstLineEnds]],
        });
    }

    private static void Recover(string root, bool byBeginTransaction, InjectedDefect defect)
    {
        var options = new AtomicFileOptions { Faults = new() { Defects = defect } };
        if (byBeginTransaction)
        {
            AtomicFile.BeginTransaction(root, options).Dispose();
        }
        else
        {
            AtomicFile.Recover(root, options);
        }
    }

    private string Copy(string name)
    {
        var copy = _dir.File(name);
        TransactionFileSet.CopyTree(_stagedState, copy);
        return copy;
    }
}
