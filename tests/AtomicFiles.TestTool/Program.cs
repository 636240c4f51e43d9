using AtomicFiles.TestTool;
using AtomicFiles.Tool;

// The test verbs keep their own small parser: `transaction` takes its --write/--delete operations in order, which
// the tests rely on. Everything else is the shipped tool, plus `create-new`.
return args switch
{
    ["increment", .. var rest] => TestVerb.Run("increment", () => IncrementCommand.Run(rest)),
    ["transaction", .. var rest] => TestVerb.Run("transaction", () => TransactionCommand.Run(rest)),
    _ => CommandLine.Run(WithTestVerbs(), args),
};

static System.CommandLine.RootCommand WithTestVerbs()
{
    var root = CommandLine.Build();
    root.Subcommands.Add(CreateNewCommand.Create());
    return root;
}
