using AtomicFiles.Tool.Torture;

namespace AtomicFiles.Tests.Tool.Torture;

/// <summary>The torture's own coordination lock: exclusive while held, free again once released, refused where .NET's file locking is off.</summary>
public sealed class TortureLockTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Acquire_WhileHeld_IsRefusedAndAfterReleaseIsGranted()
    {
        var lockPath = _dir.File("a.writers-lock");
        var first = TortureLock.Acquire(lockPath, Timeout.InfiniteTimeSpan);

        // A zero timeout tries once: a held lock refuses at once, no clock involved. (A second open in the same process
        // is a second open file description, which flock and share modes both keep out.)
        FluentActions.Invoking(() => TortureLock.Acquire(lockPath, TimeSpan.Zero)).Should().Throw<TimeoutException>().WithMessage($"*{lockPath}*");

        first.Dispose();
        using var second = TortureLock.Acquire(lockPath, TimeSpan.Zero);
        File.Exists(lockPath).Should().BeTrue("the lock file stays, so every waiter locks the same file");
    }

    [RequiresFact(Requirement.Linux)]
    public void Torture_WithDotnetFileLockingSwitchedOff_RefusesToRun()
    {
        var result = ToolProcess.Run(["torture", "--dir", _dir.Path, "--seconds", "1"], toolDll: ToolProcess.ShippedToolDll,
            environment: new Dictionary<string, string> { ["DOTNET_SYSTEM_IO_DISABLEFILELOCKING"] = "1" });

        result.ExitCode.Should().Be(1, result.StandardOutput);
        result.StandardError.Should().Contain("DOTNET_SYSTEM_IO_DISABLEFILELOCKING");
    }
}
