using System.ComponentModel;
using AtomicFiles.Tool.Torture;

namespace AtomicFiles.Tests.Tool.Torture;

/// <summary>
/// A writer start that fails for a moment is tried again, so a long torture run does not end on it (under Wine,
/// CreateProcess now and then fails with "Internal error" under load); one that keeps failing still ends the run with
/// the system's error, and nothing but a failure to start is retried.
/// </summary>
public sealed class WriterStartRetryTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Run_StartFailingOnce_IsTriedAgainAndSucceeds()
    {
        var attempts = 0;
        var retries = 0;

        var result = WriterStartRetry.Run(() => ++attempts == 1 ? throw new Win32Exception(11) : "started", () => retries++);

        result.Should().Be("started");
        (attempts, retries).Should().Be((2, 1));
    }

    [Fact]
    public void Run_StartFailingEveryTime_GivesUpWithTheSystemsError()
    {
        var attempts = 0;
        var retries = 0;

        FluentActions.Invoking(() => WriterStartRetry.Run<string>(() => throw new Win32Exception(11, $"attempt {++attempts}"), () => retries++))
            .Should().Throw<Win32Exception>().WithMessage($"attempt {WriterStartRetry.Attempts}");

        (attempts, retries).Should().Be((WriterStartRetry.Attempts, WriterStartRetry.Attempts - 1));
    }

    [Fact]
    public void Run_OtherFailure_IsNotRetried()
    {
        var attempts = 0;

        FluentActions.Invoking(() => WriterStartRetry.Run<string>(() => { attempts++; throw new IOException("not a start failure"); }, () => { }))
            .Should().Throw<IOException>();

        attempts.Should().Be(1);
    }

    [Fact]
    public void Torture_WhoseWriterProgramIsMissing_EndsWithTheStartError()
    {
        var missing = _dir.File("no-such-writer");
        var settings = new TortureSettings(_dir.Path, TimeSpan.FromSeconds(5), Writers: 1, FileSize: TortureContent.MinimumSize, new TortureWriterLauncher(missing, []));

        FluentActions.Invoking(() => new TortureHarness(settings).Run(progress: null, CancellationToken.None))
            .Should().Throw<Win32Exception>().WithMessage($"*{missing}*");
    }
}
