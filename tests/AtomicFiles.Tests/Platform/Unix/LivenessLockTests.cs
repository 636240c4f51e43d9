using AtomicFiles.Platform;
using AtomicFiles.Platform.Unix;
using AtomicFiles.Tests.Support;
using Microsoft.Win32.SafeHandles;
using static AtomicFiles.Platform.Interop.Unix.Interop;

namespace AtomicFiles.Tests.Platform.Unix;

/// <summary>
/// The liveness lock on Linux: a live writer's temp refuses a sweep's probe, and neither the writer's lock nor a sweep's
/// probe ever refuses a .NET reader — which they did while both were flocks, the table .NET readers lock in too.
/// </summary>
public sealed class LivenessLockTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// The instant a sweep that opened a temp by name just before its writer renamed it holds its probe on what is now
    /// the published file: readers must still get in. The control shows the test would catch the old probe.
    /// </summary>
    [RequiresTheory(Requirement.Linux)]
    [InlineData(true)]
    [InlineData(false)]
    public void SweepProbeHeldOnAPublishedFile_ReadersAndUpdateStillOpenIt(bool readableProbe)
    {
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "published");
        using var probe = Open(path, readableProbe ? OpenFlags.O_RDONLY : OpenFlags.O_WRONLY);

        LivenessLock.TryLockAlone(probe, readableProbe, path).Should().BeTrue("no one else holds a lock on the file");

        File.ReadAllBytes(path).Should().Equal("published"u8.ToArray());
        using (new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
        }

        AtomicFile.UpdateText(path, text => text + " and updated");
        File.ReadAllText(path).Should().Be("published and updated");

        // Control: the sweep's old probe, flock(LOCK_EX|LOCK_NB), held on the published file refuses the same read.
        var replaced = _dir.File("b.txt");
        File.WriteAllText(replaced, "published");
        using var oldProbe = Open(replaced, OpenFlags.O_RDONLY);
        Flock(oldProbe, Sys.LOCK_EX | Sys.LOCK_NB).Should().Be(0);
        var read = () => File.ReadAllBytes(replaced);
        read.Should().Throw<IOException>().Which.HResult.Should().Be(Errno.EWOULDBLOCK);
    }

    [RequiresFact(Requirement.Linux)]
    public void LiveWritersTemp_HoldsASharedOpenFileDescriptionLock_WhichRefusesEveryProbe()
    {
        using var writer = AtomicFile.Create(_dir.File("a.txt"));
        var temp = _dir.Entries().Single(name => TempFileName.IsTempFileName(name));
        var path = _dir.File(temp);

        using var reader = Open(path, OpenFlags.O_RDONLY);
        HeldLockType(reader).Should().Be(Sys.F_RDLCK, "the writer holds a shared OFD lock for its lifetime");
        LivenessLock.TryLockAlone(reader, readable: true, path).Should().BeFalse();
        using var writeOnly = Open(path, OpenFlags.O_WRONLY);
        LivenessLock.TryLockAlone(writeOnly, readable: false, path).Should().BeFalse();

        // Readers' flocks never meet it; and the writer's own lock is not a flock a reader could meet either.
        using var other = Open(path, OpenFlags.O_RDONLY);
        Flock(other, Sys.LOCK_EX | Sys.LOCK_NB).Should().Be(0);
    }

    [RequiresFact(Requirement.Linux)]
    public void WriterClaimingATemp_WaitsWhileASweepHoldsEvenASharedProbe()
    {
        // A sweep's readable probe is a shared lock: the writer's first, exclusive step must still wait for it, or the
        // writer could check its link count before the sweep unlinks the name and lose its temp after.
        var path = _dir.File(TempFileName.For("a.txt"));
        File.WriteAllText(path, "");
        using var sweep = Open(path, OpenFlags.O_RDONLY);
        LivenessLock.TryLockAlone(sweep, readable: true, path).Should().BeTrue();
        using var writer = Open(path, OpenFlags.O_RDWR);

        var claim = Task.Run(() => LivenessLock.LockNewTemp(writer, path));

        BlockedLock.SeenBefore(path, claim).Should().BeTrue("the sweep still holds the temp");
        sweep.Dispose();
        claim.Result.Should().Be(LivenessLock.Kind.OpenFileDescription);
    }

    /// <summary>Control: the same check sees no wait in a probe that does not wait.</summary>
    [RequiresFact(Requirement.Linux)]
    public void ProbeWhileASweepHolds_IsNotSeenWaiting()
    {
        var path = _dir.File(TempFileName.For("a.txt"));
        File.WriteAllText(path, "");
        using var sweep = Open(path, OpenFlags.O_RDONLY);
        LivenessLock.TryLockAlone(sweep, readable: true, path).Should().BeTrue();
        using var other = Open(path, OpenFlags.O_RDWR);

        var probe = Task.Run(() => LivenessLock.TryLockAlone(other, readable: true, path));

        BlockedLock.SeenBefore(path, probe).Should().BeFalse();
        probe.Result.Should().BeFalse("the sweep holds the temp");
    }

    private static SafeFileHandle Open(string path, int flags)
    {
        var handle = Sys.Open(path, flags | OpenFlags.O_CLOEXEC, 0);
        handle.IsInvalid.Should().BeFalse("open {0} failed with errno {1}", path, System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
        return handle;
    }

    private static int Flock(SafeFileHandle handle, int operation) => Sys.Flock(handle, operation);

    /// <summary>The type of a lock another open file description holds on the whole file, or F_UNLCK.</summary>
    private static short HeldLockType(SafeFileHandle handle)
    {
        var range = new Sys.FileLockRange { Type = Sys.F_WRLCK };
        Sys.FcntlLock(handle, Sys.F_OFD_GETLK, ref range).Should().Be(0);
        return range.Type;
    }
}
