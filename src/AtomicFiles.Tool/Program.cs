using AtomicFiles.Tool;

return CommandLine.Run(CommandLine.Build(), args);
