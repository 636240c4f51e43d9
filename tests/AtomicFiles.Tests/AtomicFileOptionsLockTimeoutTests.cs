namespace AtomicFiles.Tests;

public sealed class AtomicFileOptionsLockTimeoutTests
{
    [Fact]
    public void LockTimeout_Default_IsThirtySeconds()
    {
        new AtomicFileOptions().LockTimeout.Should().Be(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void LockTimeout_ZeroOrInfinite_IsAccepted()
    {
        new AtomicFileOptions { LockTimeout = TimeSpan.Zero }.LockTimeout.Should().Be(TimeSpan.Zero);
        new AtomicFileOptions { LockTimeout = Timeout.InfiniteTimeSpan }.LockTimeout.Should().Be(Timeout.InfiniteTimeSpan);
    }

    [Fact]
    public void LockTimeout_Negative_ThrowsArgumentOutOfRange()
    {
        var act = () => new AtomicFileOptions { LockTimeout = TimeSpan.FromSeconds(-2) };

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void LockTimeout_BeyondIntMaxMilliseconds_ThrowsArgumentOutOfRange()
    {
        var act = () => new AtomicFileOptions { LockTimeout = TimeSpan.FromDays(30) };

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
