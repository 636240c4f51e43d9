using AtomicFiles.FaultInjection;
using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests.Locking;

/// <summary>
/// How the Unix lock opens its lock file: never through a symbolic link, never as a FIFO, read-only so that whoever
/// may update the data file may lock, and created with the data file's permissions. Each check has a control running
/// it against <see cref="InjectedDefect.LockThroughFileShare"/> (the old FileShare.None open) to show it bites.
/// </summary>
public sealed class UnixLockFileTests : IDisposable
{
    // Only a bound on a failure: a correct lock refuses at once, a blocking open would hang the test run.
    private static readonly TimeSpan s_watchdog = TimeSpan.FromMinutes(1);

    private static readonly AtomicFileOptions s_shareModeLock = new() { Faults = new() { Defects = InjectedDefect.LockThroughFileShare } };

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string DataPath => _dir.File("data.txt");

    private string LockPath => _dir.File(".data.txt.lock");

    [RequiresFact(Requirement.Linux)]
    public void Update_FifoAtTheLockPath_ThrowsPromptlyAndKeepsTheFile()
    {
        File.WriteAllText(DataPath, "old");
        Command.Run("mkfifo", LockPath);

        var update = UpdateWithinWatchdog(options: null);

        update.Exception!.InnerException.Should().BeOfType<IOException>()
            .Which.Message.Should().Contain(LockPath).And.Contain("not a regular file but a FIFO");
        File.ReadAllText(DataPath).Should().Be("old");
        TempFiles.In(_dir.Path).Should().BeEmpty();
    }

    /// <summary>Control: the old lock opens the FIFO read-write, locks it and updates as if it were a lock file.</summary>
    [RequiresFact(Requirement.Linux)]
    public void Update_FifoAtTheLockPathWithShareModeLock_LocksTheFifo()
    {
        File.WriteAllText(DataPath, "old");
        Command.Run("mkfifo", LockPath);

        var update = UpdateWithinWatchdog(s_shareModeLock);

        update.Exception.Should().BeNull();
        File.ReadAllText(DataPath).Should().Be("new");
    }

    [RequiresTheory(Requirement.Linux)]
    [InlineData(false)]
    [InlineData(true)]
    public void Update_SymlinkAtTheLockPath_ThrowsAndLeavesItsTargetAlone(bool targetExists)
    {
        File.WriteAllText(DataPath, "old");
        var victim = _dir.File("victim");
        if (targetExists)
        {
            File.WriteAllText(victim, "theirs");
            File.SetUnixFileMode(victim, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.CreateSymbolicLink(LockPath, victim);

        var update = UpdateWithinWatchdog(options: null);

        update.Exception!.InnerException.Should().BeOfType<IOException>()
            .Which.Message.Should().Contain(LockPath).And.Contain("symbolic link");
        File.ReadAllText(DataPath).Should().Be("old");
        TempFiles.In(_dir.Path).Should().BeEmpty();
        if (targetExists)
        {
            File.ReadAllText(victim).Should().Be("theirs");
            File.GetUnixFileMode(victim).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        else
        {
            File.Exists(victim).Should().BeFalse();
        }
    }

    /// <summary>Control: the old lock follows the link and creates its target.</summary>
    [RequiresFact(Requirement.Linux)]
    public void Update_SymlinkAtTheLockPathWithShareModeLock_CreatesItsTarget()
    {
        File.WriteAllText(DataPath, "old");
        var victim = _dir.File("victim");
        File.CreateSymbolicLink(LockPath, victim);

        var update = UpdateWithinWatchdog(s_shareModeLock);

        update.Exception.Should().BeNull();
        File.Exists(victim).Should().BeTrue();
    }

    /// <summary>
    /// A new lock file takes the data file's read and write bits (rw-rw-rw- for a new data file), less the umask: run in
    /// a child with a known umask, as the test process's own is shared by every test.
    /// </summary>
    [RequiresTheory(Requirement.Linux)]
    [InlineData(0x1A0, "000", 0x1A0)] // 0640 → 0640
    [InlineData(0x180, "000", 0x180)] // 0600 → 0600: not readable by others
    [InlineData(0x1B4, "027", 0x1A0)] // 0664 → 0640 under umask 027
    [InlineData(0x1ED, "000", 0x1A4)] // 0755 → 0644: no execute bits
    [InlineData(-1, "000", 0x1B6)]    // no data file → 0666
    [InlineData(-1, "022", 0x1A4)]    // no data file → 0644 under umask 022
    public void Update_NewLockFile_TakesTheDataFilesPermissionsLessTheUmask(int dataMode, string umask, int expectedLockMode)
    {
        CreateDataFile(dataMode);

        var result = IncrementUnderUmask(umask);

        result.ExitCode.Should().Be(0, result.StandardError);
        File.GetUnixFileMode(LockPath).Should().Be((UnixFileMode)expectedLockMode);
    }

    /// <summary>Control: the old lock creates every lock file rw-rw-rw- less the umask, readable by all for a private data file.</summary>
    [RequiresFact(Requirement.Linux)]
    public void Update_NewLockFileWithShareModeLock_IgnoresTheDataFilesPermissions()
    {
        CreateDataFile(0x180);

        var result = IncrementUnderUmask("000", "--defect", nameof(InjectedDefect.LockThroughFileShare));

        result.ExitCode.Should().Be(0, result.StandardError);
        File.GetUnixFileMode(LockPath).Should().Be((UnixFileMode)0x1B6);
    }

    /// <summary>
    /// A member of the data file's group may read and write it (0660), but the lock file is read-only to the group
    /// (0440): the lock opens read-only, so the member can still update.
    /// </summary>
    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void Update_GroupMemberWithReadOnlyLockFile_Updates()
    {
        var result = IncrementAsGroupMemberWithReadOnlyLockFile();

        result.ExitCode.Should().Be(0, result.StandardError);
        File.ReadAllText(DataPath).Should().Be("6");
    }

    /// <summary>Control: the old lock opens the lock file read-write and is refused.</summary>
    [RequiresFact(Requirement.Linux | Requirement.Root)]
    public void Update_GroupMemberWithReadOnlyLockFileAndShareModeLock_IsDenied()
    {
        var result = IncrementAsGroupMemberWithReadOnlyLockFile("--defect", nameof(InjectedDefect.LockThroughFileShare));

        result.ExitCode.Should().NotBe(0);
        result.StandardError.Should().Contain(LockPath).And.Contain("denied");
        File.ReadAllText(DataPath).Should().Be("5");
    }

    private Command.Result IncrementAsGroupMemberWithReadOnlyLockFile(params string[] extraArgs)
    {
        using var users = new LocalUsers();
        var group = users.CreateGroup("lockers");
        var user = users.CreateUser("member", group);
        var tool = ToolProcess.CopyForAnotherUser(_dir.File("tool"));
        File.WriteAllText(DataPath, "5");
        File.WriteAllText(LockPath, "");
        Command.Run("chown", $"root:{group.Name}", _dir.Path, DataPath, LockPath);
        File.SetUnixFileMode(_dir.Path, (UnixFileMode)0x1F8); // 0770: the group creates its temps here
        File.SetUnixFileMode(DataPath, (UnixFileMode)0x1B0);  // 0660
        File.SetUnixFileMode(LockPath, (UnixFileMode)0x120);  // 0440

        return ToolProcess.Run(["increment", DataPath, "1", .. extraArgs], wrapper: user.Wrapper, toolDll: tool);
    }

    private void CreateDataFile(int mode)
    {
        if (mode >= 0)
        {
            File.WriteAllText(DataPath, "0");
            File.SetUnixFileMode(DataPath, (UnixFileMode)mode);
        }
    }

    private Command.Result IncrementUnderUmask(string umask, params string[] extraArgs) =>
        ToolProcess.Run(["increment", DataPath, "1", "--durability", "none", .. extraArgs], wrapper: ["sh", "-c", $"umask {umask}; exec \"$@\"", "sh"]);

    /// <summary>Runs an Update of the data file, failing the test if it has not ended within the watchdog.</summary>
    private Task UpdateWithinWatchdog(AtomicFileOptions? options)
    {
        var update = Task.Run(() => AtomicFile.UpdateText(DataPath, _ => "new", options));
        ((IAsyncResult)update).AsyncWaitHandle.WaitOne(s_watchdog).Should().BeTrue("the lock must refuse at once, not block");
        return update;
    }
}
