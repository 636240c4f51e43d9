using System.ComponentModel;
using System.Runtime.InteropServices;
using AtomicFiles.PowerLoss.Interop;

namespace AtomicFiles.PowerLoss.Devices;

/// <summary>A mounted filesystem, unmounted on dispose: mount(2)/umount2(2) directly, one syscall each.</summary>
public sealed class Mount : IDisposable
{
    private Mount(string target) => Target = target;

    public string Target { get; }

    /// <summary>Mounts <paramref name="device"/>; the kernel replays the filesystem's journal here.</summary>
    public static Mount Create(string device, string target, string fileSystemType, string options)
    {
        Directory.CreateDirectory(target);
        if (Libc.Mount(device, target, fileSystemType, 0, options.Length == 0 ? null : options) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new MountFailedException($"mount -t {fileSystemType} -o '{options}' {device} {target}: {new Win32Exception(errno).Message}");
        }

        return new Mount(target);
    }

    /// <summary>Unmounts <paramref name="target"/> if something is mounted there; lazily if it is busy.</summary>
    public static void Unmount(string target)
    {
        for (var attempt = 0; Libc.Umount2(target, 0) != 0; attempt++)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is 22 /* EINVAL: not mounted */ or 2 /* ENOENT */)
            {
                return;
            }

            if (attempt >= 20)
            {
                _ = Libc.Umount2(target, Libc.MntDetach);
                return;
            }

            Thread.Sleep(50); // EBUSY: a child that just exited may still hold a file open for a moment
        }
    }

    public void Dispose() => Unmount(Target);
}
