using AtomicFiles.Tool;

return CommandLine.Run(args);
