using Klaviyo.Codegen;

// Usage: dotnet run --project tools/Klaviyo.Codegen [-- [--check] [spec.json] [output-folder]]
var check = args.Contains("--check");
var positional = args.Where(a => a != "--check").ToArray();
var repository = Generator.FindRepository(Directory.GetCurrentDirectory());
if (repository is null && positional.Length < 2)
{
    Console.Error.WriteLine(
        "Klaviyo.sln not found above the current folder; pass the spec path and the output folder."
    );
    return 2;
}
var specPath = positional.Length > 0 ? positional[0] : Generator.DefaultSpecPath(repository!);
var output = positional.Length > 1 ? positional[1] : Generator.DefaultOutputDirectory(repository!);
if (!File.Exists(specPath))
{
    Console.Error.WriteLine($"spec not found: {specPath}");
    return 2;
}

var files = Generator.Generate(File.ReadAllText(specPath));
if (check)
{
    var temp = Directory.CreateTempSubdirectory("klaviyo-codegen-");
    try
    {
        foreach (var f in Directory.GetFiles(output, "*.g.cs"))
            File.Copy(f, Path.Combine(temp.FullName, Path.GetFileName(f)));
        var changed = Generator.Write(temp.FullName, files);
        foreach (var name in changed)
            Console.Error.WriteLine($"out of date: {name}");
        Console.WriteLine(
            changed.Count == 0
                ? "generated files are up to date"
                : "run: dotnet run --project tools/Klaviyo.Codegen"
        );
        return changed.Count == 0 ? 0 : 1;
    }
    finally
    {
        temp.Delete(recursive: true);
    }
}

var written = Generator.Write(output, files);
Console.WriteLine(
    $"{files.Count} files for {files.Count - 1} tags in {output}: {(written.Count == 0 ? "no changes" : string.Join(", ", written))}"
);
return 0;
