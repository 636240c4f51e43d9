using System.Diagnostics;

namespace AtomicFiles.Testing;

/// <summary>
/// The one process runner of the tests: runs a program a test or the power-loss harness depends on (mount, chown, mkfs,
/// stat, dotnet pack, the atomicfile tool through <see cref="ToolProcess"/>) with its output captured, and kills it with
/// its children if it hangs. Shared by the test projects and tests/AtomicFiles.PowerLoss.
/// </summary>
internal static class Command
{
    private static readonly TimeSpan s_defaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>How a finished program ended.</summary>
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>Runs <paramref name="program"/>; returns its standard output and error, or throws with them if it fails or hangs.</summary>
    internal static string Run(string program, params string[] args) => Run(program, workingDirectory: null, args, stdin: null);

    /// <inheritdoc cref="Run(string, string[])"/>
    internal static string Run(string program, string? workingDirectory, string[] args, string? stdin = null)
    {
        var result = Execute([program, .. args], stdin, workingDirectory: workingDirectory);
        var output = result.StandardOutput + result.StandardError;
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed (exit code {result.ExitCode}):\n{output}");
        }

        return output;
    }

    /// <summary>
    /// Runs <paramref name="commandLine"/> (program, then arguments) to its end, with <paramref name="standardInput"/> as
    /// its input and <paramref name="environment"/> added to the inherited environment, whatever its exit code.
    /// </summary>
    /// <exception cref="TimeoutException">It ran past <paramref name="timeout"/> (default 5 minutes): a hang, killed with its children.</exception>
    public static Result Execute(
        IReadOnlyList<string> commandLine, string? standardInput = null, TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        using var process = Start(commandLine, environment, workingDirectory);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(standardInput ?? "");
        process.StandardInput.Close();
        if (!process.WaitForExit(timeout ?? s_defaultTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{string.Join(' ', commandLine)}' did not finish in {(timeout ?? s_defaultTimeout).TotalMinutes:0.#} minutes.");
        }

        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>
    /// Starts <paramref name="commandLine"/> with standard input, output and error redirected, and leaves it running: for
    /// tests that need a live process (e.g. `atomicfile write PATH` holds its writer open until standard input closes).
    /// </summary>
    public static Process Start(IReadOnlyList<string> commandLine, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(commandLine[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var arg in commandLine.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return Process.Start(start)!;
    }
}
