using AtomicFiles.Tool.Torture;

namespace AtomicFiles.Tests.Tool.Torture;

/// <summary>The verifier must catch each kind of broken promise; the torture's zero means nothing otherwise.</summary>
public sealed class TortureVerifierTests : IDisposable
{
    private const int Size = 1024;
    private readonly TempDirectory _dir = new();
    private readonly TortureVerifier _verifier;

    public TortureVerifierTests()
    {
        _verifier = new TortureVerifier(_dir.Path);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Verify_NothingCommittedNothingThere_IsClean()
    {
        _verifier.Verify().Should().BeEmpty();
    }

    [Fact]
    public void Verify_FilesAtOrAheadOfTheirReportedCommits_IsClean()
    {
        WriteShared(0, version: 5);
        WriteCreated(slot: 1, sequence: 3);
        _verifier.OnCommitted(0, new(CommitMethod.Update, TortureFiles.Shared(0), 4));
        _verifier.OnCommitted(1, new(CommitMethod.CreateNew, TortureFiles.Created(1, 2), 2));

        _verifier.Verify().Should().BeEmpty();
        _verifier.FilesVerified.Should().Be(2);
    }

    [Fact]
    public void Verify_FileBehindAReportedCommit_IsAViolationCountedOnce()
    {
        WriteShared(0, version: 3);
        _verifier.OnCommitted(0, new(CommitMethod.Create, TortureFiles.Shared(0), 4));

        _verifier.Verify().Should().ContainSingle().Which.Problem.Should().Contain("holds version 3, but version 4 was committed");
        _verifier.Verify().Should().BeEmpty();
    }

    [Fact]
    public void Verify_FileGoingBackFromAVersionSeenEarlier_IsAViolation()
    {
        WriteShared(1, version: 9);
        _verifier.Verify().Should().BeEmpty();
        WriteShared(1, version: 8);

        _verifier.Verify().Should().ContainSingle().Which.Problem.Should().Contain("went back from version 9 to 8");
    }

    [Fact]
    public void Verify_CommittedFileMissing_IsAViolation()
    {
        _verifier.OnCommitted(0, new(CommitMethod.WriteAllBytes, TortureFiles.Shared(2), 1));

        _verifier.Verify().Should().ContainSingle().Which.Problem.Should().StartWith("missing");
    }

    [Fact]
    public void Verify_TornFile_IsAViolation()
    {
        File.WriteAllBytes(_dir.File(TortureFiles.Shared(0)), TortureContent.Create(1, 0, Size)[..100]);

        _verifier.Verify().Should().ContainSingle().Which.Subject.Should().Be(TortureFiles.Shared(0));
    }

    [Fact]
    public void Verify_CreatedChainWithoutTheReportedOrAnyLaterFile_IsAViolation()
    {
        WriteCreated(slot: 0, sequence: 1);
        _verifier.OnCommitted(0, new(CommitMethod.CreateNew, TortureFiles.Created(0, 2), 2));

        _verifier.Verify().Should().ContainSingle().Which.Problem.Should().Contain("missing");
    }

    [Fact]
    public void Verify_CreatedFileEmpty_IsAViolation()
    {
        File.WriteAllBytes(_dir.File(TortureFiles.Created(0, 1)), []);
        _verifier.OnCommitted(0, new(CommitMethod.CreateNew, TortureFiles.Created(0, 1), 1));

        _verifier.Verify().Should().ContainSingle().Which.Problem.Should().Be("empty file");
    }

    private void WriteShared(int index, long version) =>
        File.WriteAllBytes(_dir.File(TortureFiles.Shared(index)), TortureContent.Create(version, 0, Size));

    private void WriteCreated(int slot, long sequence) =>
        File.WriteAllBytes(_dir.File(TortureFiles.Created(slot, sequence)), TortureContent.Create(sequence, slot, Size));
}
