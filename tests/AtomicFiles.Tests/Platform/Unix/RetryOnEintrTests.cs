using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using static AtomicFiles.Platform.Interop.Unix.Interop;

namespace AtomicFiles.Tests.Platform.Unix;

/// <summary>
/// The one EINTR helper the bindings of blocking calls go through: a call a signal interrupted is made again, any other
/// failure comes back at once with its errno. (The strace test Commit_FsyncInterruptedBySignal_IsRepeatedAndCommits
/// shows it end to end.)
/// </summary>
public sealed class RetryOnEintrTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void InterruptedCalls_AreMadeAgainUntilOneIsNotInterrupted()
    {
        var calls = 0;

        var result = RetryOnEintr(2, interruptions => ++calls <= interruptions ? Fail(Errno.EINTR) : 7);

        result.Should().Be(7);
        calls.Should().Be(3);
    }

    [Fact]
    public void AnotherFailure_IsReturnedAtOnceWithItsErrno()
    {
        var calls = 0;

        var result = RetryOnEintr(Errno.EACCES, errno =>
        {
            calls++;
            return Fail(errno);
        });

        result.Should().Be(-1);
        calls.Should().Be(1);
        Marshal.GetLastPInvokeError().Should().Be(Errno.EACCES);
    }

    [Fact]
    public void InterruptedOpens_AreMadeAgainAndTheirInvalidHandlesReleased()
    {
        var path = _dir.File("a.txt");
        File.WriteAllText(path, "x");
        var interrupted = new List<SafeFileHandle>();

        using var handle = RetryOnEintr(path, p =>
        {
            if (interrupted.Count == 2)
            {
                return File.OpenHandle(p);
            }

            var invalid = new SafeFileHandle(-1, ownsHandle: true);
            interrupted.Add(invalid);
            Marshal.SetLastPInvokeError(Errno.EINTR);
            return invalid;
        });

        handle.IsInvalid.Should().BeFalse();
        interrupted.Should().HaveCount(2).And.OnlyContain(h => h.IsClosed);
    }

    private static int Fail(int errno)
    {
        Marshal.SetLastPInvokeError(errno);
        return -1;
    }
}
