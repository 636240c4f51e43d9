using System.Diagnostics;

namespace AtomicFiles.Testing;

/// <summary>
/// Runs the atomicfile tool in a child process, optionally under another program (strace, setpriv). By default the
/// test tool (tests/AtomicFiles.TestTool): the shipped tool plus the verbs only tests use (increment, transaction with
/// crash hooks, create-new); tests of what users get name <see cref="ShippedToolDll"/>.
/// </summary>
public static class ToolProcess
{
    /// <summary>The built test tool, copied next to the test assembly by the project reference.</summary>
    public static string ToolDll => Path.Join(AppContext.BaseDirectory, "atomicfile-test.dll");

    /// <summary>The tool as it ships in the package: no test verbs, no hooks.</summary>
    public static string ShippedToolDll => Path.Join(AppContext.BaseDirectory, "atomicfile.dll");

    public static string DotnetHost => Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet"
        ? host
        : "dotnet";

    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>
    /// Copies the built tool into <paramref name="directory"/> (created) and returns the copy's dll, for tests that run
    /// it as another user: the checkout may lie under a directory only its owner may enter (a home directory, a
    /// mktemp -d), where that user cannot even load the tool.
    /// </summary>
    public static string CopyForAnotherUser(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory))
        {
            File.Copy(file, Path.Join(directory, Path.GetFileName(file)));
        }

        return Path.Join(directory, Path.GetFileName(ToolDll));
    }

    /// <summary>
    /// Runs `atomicfile ARGS`, prefixed by <paramref name="wrapper"/> (e.g. strace and its options) when given, from
    /// <paramref name="toolDll"/> if given (a <see cref="CopyForAnotherUser"/> copy), else from <see cref="ToolDll"/>,
    /// with <paramref name="environment"/> added to the inherited environment, in <paramref name="workingDirectory"/> if given.
    /// </summary>
    public static Result Run(
        IEnumerable<string> args, string? standardInput = null, IEnumerable<string>? wrapper = null, TimeSpan? timeout = null, string? toolDll = null,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        using var process = Start(args, wrapper, toolDll, environment, workingDirectory);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'atomicfile {string.Join(' ', args)}' did not finish in time.");
        }

        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>
    /// Starts `atomicfile ARGS` with standard input, output and error redirected, and leaves it running: for tests that
    /// need a live writer in another process (e.g. `write PATH` holds its writer open until standard input closes).
    /// </summary>
    public static Process Start(
        IEnumerable<string> args, IEnumerable<string>? wrapper = null, string? toolDll = null, IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null)
    {
        var (program, programArgs) = ManagedProgram.Command(toolDll ?? ToolDll);
        var command = (wrapper ?? []).Append(program).Concat(programArgs).Concat(args).ToList();
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var arg in command.Skip(1))
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
