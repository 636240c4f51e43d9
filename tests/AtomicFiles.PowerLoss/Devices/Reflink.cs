using System.ComponentModel;
using System.Runtime.InteropServices;
using AtomicFiles.PowerLoss.Interop;

namespace AtomicFiles.PowerLoss.Devices;

/// <summary>Copy-on-write file clones (FICLONE): a crash image shares every block with the base but the ones it writes.</summary>
public static class Reflink
{
    public static void Clone(string source, string destination)
    {
        using var from = File.OpenHandle(source);
        using var to = File.OpenHandle(destination, FileMode.CreateNew, FileAccess.Write);
        if (Libc.Ioctl((int)to.DangerousGetHandle(), Libc.Ficlone, from.DangerousGetHandle()) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new Win32Exception(errno, $"FICLONE {source} → {destination} failed (the scratch volume must support reflink)");
        }
    }
}
