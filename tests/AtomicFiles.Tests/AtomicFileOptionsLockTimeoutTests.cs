namespace AtomicFiles.Tests;

public sealed class AtomicFileOptionsLockTimeoutTests
{
    [Fact]
    public void LockTimeout_Default_IsThirtySeconds()
    {
        new AtomicFileOptions().LockTimeout.Should().Be(TimeSpan.FromSeconds(30));
    }

    [Theory]
    [InlineData(0)]  // tries once
    [InlineData(-1)] // Timeout.InfiniteTimeSpan: waits for ever
    public void LockTimeout_ZeroOrInfinite_IsAccepted(int milliseconds)
    {
        var timeout = TimeSpan.FromMilliseconds(milliseconds);

        new AtomicFileOptions { LockTimeout = timeout }.LockTimeout.Should().Be(timeout);
    }

    [Theory]
    [InlineData(-2_000)]            // negative, other than Timeout.InfiniteTimeSpan
    [InlineData(30 * 86_400_000.0)] // 30 days: beyond int.MaxValue milliseconds
    public void LockTimeout_OutOfRange_ThrowsArgumentOutOfRange(double milliseconds)
    {
        var act = () => new AtomicFileOptions { LockTimeout = TimeSpan.FromMilliseconds(milliseconds) };

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
