using AtomicFiles.Tool.Torture;

namespace AtomicFiles.Tests.Tool.Torture;

/// <summary>The transaction set's check must catch a torn set and a lost transaction, and let Recover finish the rest.</summary>
public sealed class TransactionSetVerifierTests : IDisposable
{
    private const int Size = 1024;
    private readonly TempDirectory _dir = new();
    private readonly TransactionSetVerifier _verifier;

    public TransactionSetVerifierTests()
    {
        foreach (var directory in TortureFiles.TransactionDirectories)
        {
            Directory.CreateDirectory(_dir.File(directory));
        }

        _verifier = new TransactionSetVerifier(_dir.Path);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Verify_NothingCommittedNothingThere_IsClean()
    {
        _verifier.Verify().Should().BeEmpty();
        _verifier.Checks.Should().Be(1);
    }

    [Fact]
    public void Verify_AllFilesAtOneVersionAheadOfTheReportedCommit_IsClean()
    {
        WriteSet(6, 6, 6, 6, 6);
        _verifier.OnCommitted(5);

        _verifier.Verify().Should().BeEmpty();
        _verifier.FilesVerified.Should().Be(5);
    }

    [Fact]
    public void Verify_FilesAtTwoVersions_IsAViolationNamingThem()
    {
        WriteSet(8, 8, 7, 7, 7);

        _verifier.Verify().Should().ContainSingle().Which.Problem.Should().Contain("several versions").And.Contain("8, 8, 7, 7, 7");
    }

    [Fact]
    public void Verify_SetPartlyWritten_IsAViolation()
    {
        WriteSet(1, null, null, null, null);

        _verifier.Verify().Should().ContainSingle().Which.Problem.Should().Contain("1, -, -, -, -");
    }

    [Fact]
    public void Verify_SetBehindAReportedCommit_IsAViolationCountedOnce()
    {
        WriteSet(3, 3, 3, 3, 3);
        _verifier.OnCommitted(4);

        _verifier.Verify().Should().ContainSingle().Which.Problem.Should().Contain("holds version 3, but version 4 was committed");
        _verifier.Verify().Should().BeEmpty();
    }

    [Fact]
    public void Verify_SetGoingBackFromAVersionSeenEarlier_IsAViolation()
    {
        WriteSet(9, 9, 9, 9, 9);
        _verifier.Verify().Should().BeEmpty();
        WriteSet(8, 8, 8, 8, 8);

        _verifier.Verify().Should().ContainSingle().Which.Problem.Should().Contain("went back from version 9 to 8");
    }

    [Fact]
    public void Verify_InterruptedTransactionJournal_IsRolledBackByRecoverAndTheOldSetIsClean()
    {
        // What a writer killed before its commit point leaves: an unsealed journal naming a staged temp.
        WriteSet(2, 2, 2, 2, 2);
        var temp = Path.Join("tx-a", ".file-0.dat.abcdefghij.tmp");
        File.WriteAllBytes(_dir.File(temp), TortureContent.Create(3, 0, Size));
        File.WriteAllText(_dir.File(".atomicfiles-transaction.journal"), $"AtomicFiles transaction journal 1\nreplace tx-a/.file-0.dat.abcdefghij.tmp tx-a/file-0.dat\n");

        _verifier.Verify().Should().BeEmpty();
        _verifier.TransactionsRolledBack.Should().Be(1);
        File.Exists(_dir.File(temp)).Should().BeFalse();
    }

    private void WriteSet(params long?[] versions)
    {
        for (var i = 0; i < versions.Length; i++)
        {
            var path = _dir.File(TortureFiles.TransactionSet[i]);
            if (versions[i] is { } version)
            {
                File.WriteAllBytes(path, TortureContent.Create(version, 0, Size));
            }
            else
            {
                File.Delete(path);
            }
        }
    }
}
