using System.Diagnostics;

namespace AtomicFiles.Tests.Support;

/// <summary>Runs a program the test depends on (mount, chown, dotnet pack) and fails the test, with its output, if it fails.</summary>
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
        process.WaitForExit(TimeSpan.FromMinutes(5)).Should().BeTrue($"{commandLine} should finish");
        var output = stdout.Result + stderr.Result;
        process.ExitCode.Should().Be(0, $"{commandLine} failed:\n{output}");
        return output;
    }
}
