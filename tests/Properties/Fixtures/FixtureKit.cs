using LanguageExt;

namespace Klaviyo.Tests.Fixtures;

/// <summary>A fresh temporary folder for fixture files, deleted afterwards.</summary>
public sealed class FixtureFolder : IDisposable
{
    public FixtureFolder() => Directory.CreateDirectory(Root);

    public string Root { get; } =
        Path.Combine(
            Path.GetTempPath(),
            "klaviyo-fixture-properties",
            Guid.NewGuid().ToString("N")
        );

    public string File(string name = "fixture.json") => Path.Combine(Root, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException) { }
    }
}

/// <summary>An interpreter that answers from a function: the "server" of a generated session.</summary>
public sealed class FunctionInterpreter(Func<KlaviyoRequest, RawResponse> respond) : IInterpreter
{
    public Task<Either<KlaviyoError, RawResponse>> ExecuteAsync(
        KlaviyoRequest request,
        CancellationToken cancellationToken
    ) => Task.FromResult<Either<KlaviyoError, RawResponse>>(respond(request));
}
