using AtomicFiles.PowerLoss.Recording;
using AtomicFiles.PowerLoss.Running;

namespace AtomicFiles.CrashTests.PowerLoss;

/// <summary>
/// One scratch volume (reflink xfs) for every power-loss test, made on first use and removed at the end. The tests
/// share it and the machine's loop devices, so they run one after another (<see cref="PowerLossGroup"/>).
/// </summary>
public sealed class PowerLossFixture : IDisposable
{
    /// <summary>
    /// The harness's own root: the stale sweep at start removes only what lies below it. In RAM (/dev/shm) where it
    /// has room: every crash state is built, mounted, recovered and checked there, and on the disk the harness mostly
    /// waited for it (docs/power-loss.md).
    /// </summary>
    public static readonly string Root = Path.Join(RamDiskWithRoom() ?? "/tmp", "atomicfiles-powerloss");

    private readonly Lazy<(ScratchVolume Scratch, PowerLossSimulator Simulator)> _volume = new(() =>
    {
        var scratch = ScratchVolume.Create(Root);
        return (scratch, new PowerLossSimulator(scratch, WorkloadLauncher));
    });

    /// <summary>The workload child: this test assembly's own Main (CrashTestsProgram hands it to WorkloadChild).</summary>
    public static WorkloadLauncher WorkloadLauncher =>
        new(ToolProcess.DotnetHost, [Path.Join(AppContext.BaseDirectory, "AtomicFiles.CrashTests.dll")]);

    public PowerLossSimulator Simulator => _volume.Value.Simulator;

    private static string? RamDiskWithRoom()
    {
        const long room = 4L << 30;
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/dev/shm"))
        {
            return null;
        }

        var shm = new DriveInfo("/dev/shm");
        return shm.IsReady && shm.DriveFormat == "tmpfs" && shm.AvailableFreeSpace >= room ? shm.RootDirectory.FullName : null;
    }

    public void Dispose()
    {
        if (_volume.IsValueCreated)
        {
            _volume.Value.Scratch.Dispose();
            StaleSweep.Run(Root);
        }
    }
}
