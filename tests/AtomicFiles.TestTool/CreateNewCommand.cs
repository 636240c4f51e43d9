using System.CommandLine;
using AtomicFiles.Tool.Commands;

namespace AtomicFiles.TestTool;

/// <summary>`create-new PATH`: standard input to PATH through <see cref="AtomicFile.CreateNew"/>, for the fault tests.</summary>
internal static class CreateNewCommand
{
    internal static Command Create()
    {
        var path = new Argument<string>("PATH");
        var command = new Command("create-new", "Copy standard input to PATH only if nothing exists there.") { path };
        command.SetAction(parseResult =>
        {
            var target = parseResult.GetRequiredValue(path);
            return InterruptibleCopy.Run(Console.OpenStandardInput(), target, () => AtomicFile.CreateNew(target));
        });
        return command;
    }
}
