using System.ComponentModel;
using System.Runtime.InteropServices;
using AtomicFiles.PowerLoss.Interop;
using Microsoft.Win32.SafeHandles;

namespace AtomicFiles.PowerLoss.Devices;

/// <summary>
/// A loop device bound to an image file through ioctls (LOOP_CTL_GET_FREE, LOOP_CONFIGURE, LOOP_CLR_FD): thousands of
/// crash states attach one each, and a losetup process apiece would cost more than the mount itself.
/// </summary>
public sealed class LoopDevice : IDisposable
{
    private readonly SafeFileHandle _device;

    private LoopDevice(string path, SafeFileHandle device)
    {
        Path = path;
        _device = device;
    }

    /// <summary>/dev/loopN.</summary>
    public string Path { get; }

    /// <summary>
    /// Attaches <paramref name="imagePath"/> to a free loop device. Autoclear is always set, so a device is released
    /// when its mount and this handle are gone even if the harness dies. Other users of the machine take devices too:
    /// a device grabbed between GET_FREE and CONFIGURE (EBUSY) is simply skipped.
    /// </summary>
    public static unsafe LoopDevice Attach(string imagePath, bool directIo)
    {
        using var image = File.OpenHandle(imagePath, FileMode.Open, FileAccess.ReadWrite);
        using var control = File.OpenHandle("/dev/loop-control", FileMode.Open, FileAccess.ReadWrite);
        for (var attempt = 0; ; attempt++)
        {
            var index = Libc.Ioctl((int)control.DangerousGetHandle(), Libc.LoopCtlGetFree, 0);
            if (index < 0)
            {
                throw new Win32Exception(Marshal.GetLastPInvokeError(), "LOOP_CTL_GET_FREE failed");
            }

            var path = $"/dev/loop{index}";
            var device = OpenDevice(path);
            var config = default(Libc.LoopConfig);
            config.Fd = (uint)image.DangerousGetHandle();
            config.Info.Flags = Libc.LoFlagsAutoclear | (directIo ? Libc.LoFlagsDirectIo : 0);
            if (Libc.IoctlLoopConfigure((int)device.DangerousGetHandle(), Libc.LoopConfigure, &config) == 0)
            {
                return new LoopDevice(path, device);
            }

            var errno = Marshal.GetLastPInvokeError();
            device.Dispose();
            if (errno != 16 /* EBUSY */ || attempt >= 20)
            {
                throw new Win32Exception(errno, $"LOOP_CONFIGURE {path} ← {imagePath} failed");
            }
        }
    }

    /// <summary>The backing file of a loop device as the kernel reports it (for the stale-state sweep).</summary>
    public static string? BackingFile(string deviceName)
    {
        var path = $"/sys/block/{deviceName}/loop/backing_file";
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }

    /// <summary>Detaches a device by name (the sweep's path: its handle belonged to a dead process).</summary>
    public static void Detach(string devicePath)
    {
        using var device = OpenDevice(devicePath);
        _ = Libc.Ioctl((int)device.DangerousGetHandle(), Libc.LoopClrFd, 0);
    }

    /// <summary>LOOP_CLR_FD, then close: after the unmount the device is free again for the next state.</summary>
    public void Dispose()
    {
        _ = Libc.Ioctl((int)_device.DangerousGetHandle(), Libc.LoopClrFd, 0);
        _device.Dispose();
    }

    private static SafeFileHandle OpenDevice(string path)
    {
        // The device node can lag a moment behind LOOP_CTL_GET_FREE creating it.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
            }
            catch (FileNotFoundException) when (attempt < 50)
            {
                Thread.Sleep(10);
            }
        }
    }
}
