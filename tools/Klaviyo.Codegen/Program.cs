using Klaviyo.Codegen;

// Usage: dotnet run --project tools/Klaviyo.Codegen [-- [--check] [spec.json] [operations-folder] [models-folder] [dry-run-folder]]
var check = args.Contains("--check");
var positional = args.Where(a => a != "--check").ToArray();
var repository = Generator.FindRepository(Directory.GetCurrentDirectory());
if (repository is null && positional.Length < 4)
{
    Console.Error.WriteLine(
        "Klaviyo.sln not found above the current folder; pass the spec path and the three output folders."
    );
    return 2;
}
var specPath = positional.Length > 0 ? positional[0] : Generator.DefaultSpecPath(repository!);
var operations =
    positional.Length > 1 ? positional[1] : Generator.DefaultOutputDirectory(repository!);
var models = positional.Length > 2 ? positional[2] : Generator.DefaultModelsDirectory(repository!);
var dryRun = positional.Length > 3 ? positional[3] : Generator.DefaultDryRunDirectory(repository!);
if (!File.Exists(specPath))
{
    Console.Error.WriteLine($"spec not found: {specPath}");
    return 2;
}

var spec = File.ReadAllText(specPath);
var targets = new (string Folder, IReadOnlyList<GeneratedFile> Files)[]
{
    (operations, Generator.Generate(spec)),
    (models, Generator.GenerateModels(spec)),
    (dryRun, Generator.GenerateDryRun(spec)),
};
if (check)
{
    var stale = 0;
    foreach (var (folder, files) in targets)
    {
        var temp = Directory.CreateTempSubdirectory("klaviyo-codegen-");
        try
        {
            if (Directory.Exists(folder))
                foreach (var f in Directory.GetFiles(folder, "*.g.cs"))
                    File.Copy(f, Path.Combine(temp.FullName, Path.GetFileName(f)));
            var changed = Generator.Write(temp.FullName, files);
            foreach (var name in changed)
                Console.Error.WriteLine(
                    $"out of date: {Path.Combine(folder, name.TrimStart('-'))}"
                );
            stale += changed.Count;
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }
    Console.WriteLine(
        stale == 0
            ? "generated files are up to date"
            : "run: dotnet run --project tools/Klaviyo.Codegen"
    );
    return stale == 0 ? 0 : 1;
}

foreach (var (folder, files) in targets)
{
    var written = Generator.Write(folder, files);
    Console.WriteLine(
        $"{files.Count} files in {folder}: {(written.Count == 0 ? "no changes" : $"{written.Count} written or deleted")}"
    );
}
return 0;
