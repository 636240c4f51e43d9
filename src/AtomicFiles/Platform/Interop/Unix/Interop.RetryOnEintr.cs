using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace AtomicFiles.Platform.Interop.Unix;

internal static partial class Interop
{
    /// <summary>
    /// Repeats a libc call a signal interrupted (EINTR), as the runtime's native shim does for its own calls: the
    /// bindings of calls that can block wrap their raw import in this, so no caller sees EINTR.
    /// </summary>
    /// <returns>The first result that is not an interruption: non-negative, or negative with errno set.</returns>
    internal static int RetryOnEintr<TState>(TState state, Func<TState, int> call)
    {
        int result;
        while ((result = call(state)) < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR)
        {
        }

        return result;
    }

    /// <summary>The same for a call that returns a descriptor.</summary>
    /// <returns>The first handle that is not an interruption: valid, or invalid with errno set.</returns>
    internal static SafeFileHandle RetryOnEintr<TState>(TState state, Func<TState, SafeFileHandle> call)
    {
        while (true)
        {
            var handle = call(state);
            if (!handle.IsInvalid || Marshal.GetLastPInvokeError() != Errno.EINTR)
            {
                return handle;
            }

            handle.Dispose();
        }
    }
}
