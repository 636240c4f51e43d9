using AtomicFiles.PowerLoss.Devices;
using AtomicFiles.Testing;

namespace AtomicFiles.PowerLoss.Running;

/// <summary>
/// Where base images, recordings and crash images live: a sparse xfs image with reflink, loop-mounted. Host /tmp is
/// ext4, which cannot clone; on xfs a crash image is a FICLONE of the base plus the blocks it writes, so building one
/// costs a few milliseconds however large the filesystem. Mounted with <c>discard</c>: the blocks of each finished run
/// are punched out of the image, so on a RAM-backed root it holds only the run in progress.
/// </summary>
public sealed class ScratchVolume : IDisposable
{
    private readonly LoopDevice _loop;
    private readonly Mount _mount;

    private ScratchVolume(string root, LoopDevice loop, Mount mount)
    {
        Root = root;
        _loop = loop;
        _mount = mount;
    }

    /// <summary>The harness's own directory: everything it creates is below it, so the stale sweep touches nothing else.</summary>
    public string Root { get; }

    /// <summary>The mounted scratch filesystem.</summary>
    public string Path => _mount.Target;

    /// <summary>Sweeps what an earlier, killed run left under <paramref name="root"/>, then makes a fresh volume.</summary>
    public static ScratchVolume Create(string root, long bytes = 16L << 30)
    {
        StaleSweep.Run(root);

        // Claimed again: between the sweep's delete and this create, anyone could have put something at the name.
        HarnessRoot.Claim(root);
        var image = System.IO.Path.Join(root, "scratch.img");
        using (var file = File.Create(image))
        {
            file.SetLength(bytes);
        }

        Command.Run("mkfs.xfs", "-q", "-f", "-m", "reflink=1", image);
        var loop = LoopDevice.Attach(image, directIo: false);
        try
        {
            return new ScratchVolume(root, loop, Mount.Create(loop.Path, System.IO.Path.Join(root, "scratch"), "xfs", "discard"));
        }
        catch
        {
            loop.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _mount.Dispose();
        _loop.Dispose();
        File.Delete(System.IO.Path.Join(Root, "scratch.img"));
    }
}
