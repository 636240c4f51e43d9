using AtomicFiles.FaultInjection;
using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests.Security;

/// <summary>
/// Recover given a path through a symbolic link (<c>view -> root/sub</c>) of a transaction that crashed after its
/// commit point: the journal lives in the real parent, and the staged temps in <c>sub</c> must be applied, not swept
/// as orphans (which would leave the transaction half applied for good).
/// </summary>
public sealed class RecoverThroughSymlinkTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [RequiresFact(Requirement.Linux)]
    public void Recover_ThroughALinkToASubdirectoryOfACommittedTransaction_CompletesIt()
    {
        var crashed = CrashAfterFirstRename();
        var view = _dir.File("view");
        File.CreateSymbolicLink(view, Path.Join(crashed, "sub"));

        AtomicFile.Recover(view);

        TransactionFileSet.Classify(crashed).Should().Be("new", "Recover through the link must find the journal of the real parent");
        AtomicFile.Recover(crashed);
        TransactionFileSet.Classify(crashed).Should().Be("new");
        TransactionFileSet.Leftovers(crashed).Should().BeEmpty();
    }

    [RequiresFact(Requirement.Linux)]
    public void Recover_TheRealSubdirectoryOfACommittedTransaction_CompletesIt()
    {
        // Control: the crash copy is recoverable; only the path given to Recover differs in the test above.
        var crashed = CrashAfterFirstRename();

        AtomicFile.Recover(Path.Join(crashed, "sub"));

        TransactionFileSet.Classify(crashed).Should().Be("new");
        TransactionFileSet.Leftovers(crashed).Should().BeEmpty();
    }

    /// <summary>A copy of a root taken right after the first rename of a committed transaction: what a kill leaves.</summary>
    private string CrashAfterFirstRename()
    {
        var root = Directory.CreateDirectory(_dir.File("root")).FullName;
        var crashed = _dir.File("crashed");
        TransactionFileSet.CreateOld(root);
        TransactionFileSet.Commit(root, new AtomicFileOptions
        {
            Faults = new()
            {
                AfterStep = step =>
                {
                    if (step == new ReachedStep(ProtocolStep.Rename, "a.txt"))
                    {
                        TransactionFileSet.CopyTree(root, crashed);
                    }
                },
            },
        });
        TransactionFileSet.Classify(crashed).Should().StartWith("mixed", "the copy is taken between the renames");
        TempFiles.In(Path.Join(crashed, "sub")).Should().NotBeEmpty("sub/b.txt is still staged");
        return crashed;
    }
}
