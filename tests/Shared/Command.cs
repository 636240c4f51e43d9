using System.Diagnostics;

namespace AtomicFiles.Testing;

/// <summary>
/// Runs a program a test or the power-loss harness depends on (mount, chown, mkfs, dotnet pack) and throws, with its
/// output, if it fails or hangs. Shared by the test projects and tests/AtomicFiles.PowerLoss.
/// </summary>
internal static class Command
{
    internal static string Run(string program, params string[] args) => Run(program, workingDirectory: null, args, stdin: null);

    internal static string Run(string program, string? workingDirectory, string[] args, string? stdin = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(stdin ?? "");
        process.StandardInput.Close();
        var commandLine = $"{program} {string.Join(' ', args)}";
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{commandLine} did not finish in 5 minutes");
        }

        var output = stdout.Result + stderr.Result;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{commandLine} failed (exit code {process.ExitCode}):\n{output}");
        }

        return output;
    }
}
