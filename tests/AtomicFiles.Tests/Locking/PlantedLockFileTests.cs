using AtomicFiles.FaultInjection;
using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests.Locking;

/// <summary>
/// In a sticky world-writable directory (like /tmp) a lock file planted by another user is refused, as the kernel's
/// fs.protected_regular=1 would refuse it, whatever the sysctl says. The control shows the old lock takes it.
/// </summary>
public sealed class PlantedLockFileTests : IDisposable
{
    private const string Nobody = "65534";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void Update_LockFilePlantedByAnotherUserInStickyDirectory_ThrowsUnauthorizedAndKeepsTheFile()
    {
        var (data, lockFile) = PlantLockFile(directoryOwner: "root", lockOwner: Nobody);

        FluentActions.Invoking(() => AtomicFile.UpdateText(data, _ => "new"))
            .Should().Throw<UnauthorizedAccessException>().Which.Message.Should().Contain(lockFile).And.Contain("another user");

        File.ReadAllText(data).Should().Be("old");
        TempFiles.In(Path.GetDirectoryName(data)!).Should().BeEmpty();
    }

    [RequiresTheory(Requirement.Linux | Requirement.Root)]
    [InlineData("root", "root")]       // ours
    [InlineData(Nobody, Nobody)]       // the directory owner's
    public void Update_LockFileOwnedByUsOrTheDirectoryOwnerInStickyDirectory_Updates(string directoryOwner, string lockOwner)
    {
        var (data, _) = PlantLockFile(directoryOwner, lockOwner);

        AtomicFile.UpdateText(data, _ => "new");

        File.ReadAllText(data).Should().Be("new");
    }

    /// <summary>Control: the old lock locks the planted file, which its owner could have held for ever.</summary>
    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void Update_LockFilePlantedByAnotherUserInStickyDirectoryWithShareModeLock_Updates()
    {
        var (data, _) = PlantLockFile(directoryOwner: "root", lockOwner: Nobody);

        AtomicFile.UpdateText(data, _ => "new", new AtomicFileOptions { Faults = new() { Defects = InjectedDefect.LockThroughFileShare } });

        File.ReadAllText(data).Should().Be("new");
    }

    private (string Data, string LockFile) PlantLockFile(string directoryOwner, string lockOwner)
    {
        var shared = Directory.CreateDirectory(_dir.File("shared")).FullName;
        Command.Run("chown", directoryOwner, shared);
        File.SetUnixFileMode(shared, (UnixFileMode)0x3FF); // 1777, like /tmp
        var data = Path.Join(shared, "data.txt");
        File.WriteAllText(data, "old");
        var lockFile = Path.Join(shared, ".data.txt.lock");
        File.WriteAllText(lockFile, "");
        File.SetUnixFileMode(lockFile, (UnixFileMode)0x1B6);
        Command.Run("chown", lockOwner, lockFile);
        return (data, lockFile);
    }
}
