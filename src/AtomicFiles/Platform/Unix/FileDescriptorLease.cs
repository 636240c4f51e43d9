using System.Runtime.InteropServices;

namespace AtomicFiles.Platform.Unix;

/// <summary>
/// Borrows a SafeHandle's raw fd for a libc call, keeping the handle from being closed (and its number reused)
/// by another thread until the call returns.
/// </summary>
internal ref struct FileDescriptorLease
{
    private readonly SafeHandle _handle;
    private bool _addedRef;

    internal FileDescriptorLease(SafeHandle handle)
    {
        _handle = handle;
        _addedRef = false;
        handle.DangerousAddRef(ref _addedRef);
        Fd = (int)handle.DangerousGetHandle();
    }

    internal int Fd { get; }

    public void Dispose()
    {
        if (_addedRef)
        {
            _handle.DangerousRelease();
            _addedRef = false;
        }
    }
}
