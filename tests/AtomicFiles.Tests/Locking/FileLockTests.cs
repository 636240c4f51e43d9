using System.Globalization;
using AtomicFiles.FaultInjection;
using AtomicFiles.Tests.Support;

namespace AtomicFiles.Tests.Locking;

/// <summary>
/// The cross-process lock never fails open: not when .NET's file locking is switched off, not when flock fails. Each
/// check has a control that runs the same harness with <see cref="InjectedDefect.LockThroughFileShare"/>, the lock as
/// it was (a FileShare.None open, .NET's best-effort flock), and shows the check catches it.
/// </summary>
public sealed class FileLockTests : IDisposable
{
    private const int Processes = 3;
    private const int IncrementsEach = 200;
    private const int ControlRounds = 5;

    private static readonly Dictionary<string, string> s_fileLockingDisabled = new() { ["DOTNET_SYSTEM_IO_DISABLEFILELOCKING"] = "1" };

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [RequiresFact(Requirement.Linux)]
    public async Task Update_ThreeProcessesWithDotnetFileLockingDisabled_LoseNoUpdate()
    {
        var count = await CountAfterConcurrentIncrements(_dir.File("counter.txt"));

        count.Should().Be(Processes * IncrementsEach);
    }

    /// <summary>Control: the same harness catches the old lock, which the environment variable turns off.</summary>
    [RequiresFact(Requirement.Linux)]
    public async Task Update_ThreeProcessesWithDotnetFileLockingDisabledAndShareModeLock_LoseUpdates()
    {
        // Whether the processes overlap is up to the scheduler; a few rounds make a loss certain in practice.
        var counts = new List<int>();
        for (var round = 0; round < ControlRounds && counts.All(c => c == Processes * IncrementsEach); round++)
        {
            counts.Add(await CountAfterConcurrentIncrements(_dir.File($"counter{round}.txt"), "--defect", nameof(InjectedDefect.LockThroughFileShare)));
        }

        counts.Should().Contain(c => c < Processes * IncrementsEach, "a lock that fails open lets concurrent increments overwrite each other");
    }

    /// <summary>
    /// flock fails for another reason than another holder: ENOLCK (no locks available), or EBADF on every descriptor
    /// (NFS refuses an exclusive lock on a read-only one, and the reopened writable one fails too). The update refuses
    /// rather than proceed unlocked. ENOLCK is final at once; EBADF is retried once on a writable descriptor.
    /// </summary>
    [RequiresTheory(Requirement.Linux | Requirement.Strace)]
    [InlineData("ENOLCK", 37, 1)]
    [InlineData("EBADF", 9, 2)]
    public void Update_FlockFailsOnEveryDescriptor_ThrowsNamingTheLockFileAndKeepsTheFile(string error, int errno, int flocks)
    {
        var path = _dir.File("counter.txt");
        File.WriteAllText(path, "5");
        var lockPath = _dir.File(".counter.txt.lock");

        var log = StraceLog.Run(["increment", path, "1"], straceOptions: ["-e", $"inject=flock:error={error}:when=1+"]);

        ExclusiveFlocksOn(log, lockPath).Should().HaveCount(flocks).And.OnlyContain(result => result.StartsWith($"-1 {error} ", StringComparison.Ordinal));
        log.Result.ExitCode.Should().NotBe(0);
        log.Result.StandardError.Should().Contain(lockPath).And.Contain($"errno {errno}");
        File.ReadAllText(path).Should().Be("5");
        TempFiles.In(_dir.Path).Should().BeEmpty();
    }

    /// <summary>Control: the old lock meets the same injected failure on its one flock, ignores it and updates unlocked.</summary>
    [RequiresTheory(Requirement.Linux | Requirement.Strace)]
    [InlineData("ENOLCK")]
    [InlineData("EBADF")]
    public void Update_FlockFailsOnEveryDescriptorAndShareModeLock_ProceedsUnlocked(string error)
    {
        var path = _dir.File("counter.txt");
        File.WriteAllText(path, "5");
        var lockPath = _dir.File(".counter.txt.lock");

        var log = StraceLog.Run(
            ["increment", path, "1", "--defect", nameof(InjectedDefect.LockThroughFileShare)], straceOptions: ["-e", $"inject=flock:error={error}:when=1+"]);

        ExclusiveFlocksOn(log, lockPath).Should().ContainSingle().Which.Should().StartWith($"-1 {error} ").And.EndWith("(INJECTED)");
        log.Result.ExitCode.Should().Be(0, log.Result.StandardError);
        File.ReadAllText(path).Should().Be("6");
    }

    /// <summary>
    /// NFS: Linux emulates flock with POSIX locks there, and an exclusive one needs a writable descriptor (EBADF on a
    /// read-only one). The lock reopens the file read-write, never creating it, and locks that.
    /// </summary>
    [RequiresFact(Requirement.Linux | Requirement.Strace)]
    public void Update_FlockFailsWithEbadfOnce_RelocksThroughAWritableDescriptor()
    {
        var path = _dir.File("counter.txt");
        File.WriteAllText(path, "5");
        var lockPath = _dir.File(".counter.txt.lock");

        var log = StraceLog.Run(["increment", path, "1"], straceOptions: ["-e", "inject=flock:error=EBADF:when=1"]);

        ExclusiveFlocksOn(log, lockPath).Should().Equal("-1 EBADF (Bad file descriptor) (INJECTED)", "0");
        OpenFlagsOf(log, lockPath).Should().Equal("O_RDONLY|O_CREAT|O_NONBLOCK|O_NOFOLLOW|O_CLOEXEC", "O_RDWR|O_NONBLOCK|O_NOFOLLOW|O_CLOEXEC");
        log.Result.ExitCode.Should().Be(0, log.Result.StandardError);
        File.ReadAllText(path).Should().Be("6");
    }

    private static async Task<int> CountAfterConcurrentIncrements(string path, params string[] extraArgs)
    {
        var runs = Enumerable.Range(0, Processes)
            .Select(_ => Task.Run(() => ToolProcess.Run(
                ["increment", path, IncrementsEach.ToString(CultureInfo.InvariantCulture), "--durability", "none", .. extraArgs],
                timeout: TimeSpan.FromMinutes(10),
                environment: s_fileLockingDisabled)))
            .ToArray();
        var finished = await Task.WhenAll(runs);

        finished.Should().AllSatisfy(r => r.ExitCode.Should().Be(0, r.StandardError));
        return int.Parse(File.ReadAllText(path), CultureInfo.InvariantCulture);
    }

    /// <summary>The flags of every open of the lock file by name.</summary>
    private static List<string> OpenFlagsOf(StraceLog log, string lockPath) =>
        log.Calls
            .Where(c => c.StartsWith("openat(", StringComparison.Ordinal) && NamesLockFile(c, lockPath))
            .Select(c => c.Split(", ")[2].Split(')')[0])
            .ToList();

    /// <summary>The results of every flock(LOCK_EX|LOCK_NB) on a descriptor opened by the lock file's name.</summary>
    private static List<string> ExclusiveFlocksOn(StraceLog log, string lockPath)
    {
        var results = new List<string>();
        string? fd = null;
        foreach (var call in log.Calls)
        {
            if ((call.StartsWith("openat(", StringComparison.Ordinal) || call.StartsWith("open(", StringComparison.Ordinal))
                && NamesLockFile(call, lockPath))
            {
                var result = call[(call.LastIndexOf("= ", StringComparison.Ordinal) + 2)..];
                fd = result.StartsWith('-') ? null : result;
            }
            else if (fd is not null && call.StartsWith($"flock({fd}, LOCK_EX|LOCK_NB)", StringComparison.Ordinal))
            {
                results.Add(call[(call.IndexOf(')') + 1)..].TrimStart(' ', '=').Trim());
            }
            else if (fd is not null && call.StartsWith($"close({fd})", StringComparison.Ordinal))
            {
                fd = null;
            }
        }

        return results;
    }

    // By its path, or by its name relative to the directory descriptor the library opens it through.
    private static bool NamesLockFile(string call, string lockPath) =>
        call.Contains($"\"{lockPath}\"", StringComparison.Ordinal) || call.Contains($", \"{Path.GetFileName(lockPath)}\"", StringComparison.Ordinal);
}
