using LanguageExt;

namespace Klaviyo;

/// <summary>
/// Prints every request in full, secrets redacted, and sends nothing; answers come from a
/// <see cref="DryRunResponder"/>. Created by <see cref="Interpreter.DryRun"/>. Safe to use from many tasks at once:
/// each request is written whole, with one blank line between requests.
/// </summary>
public sealed class DryRunInterpreter : IInterpreter
{
    private readonly TextWriter _writer;
    private readonly object _gate = new();
    private bool _first = true;

    internal DryRunInterpreter(TextWriter writer, DryRunFormat format, DryRunResponder responder)
    {
        _writer = writer;
        Format = format;
        Responder = responder;
    }

    /// <summary>How requests are printed.</summary>
    public DryRunFormat Format { get; }

    /// <summary>Where answers come from.</summary>
    public DryRunResponder Responder { get; }

    /// <inheritdoc />
    public Task<Either<KlaviyoError, RawResponse>> ExecuteAsync(
        KlaviyoRequest request,
        CancellationToken cancellationToken
    )
    {
        if (cancellationToken.IsCancellationRequested)
            return Task.FromResult<Either<KlaviyoError, RawResponse>>(
                new KlaviyoError.Cancelled { Attempts = 0 }
            );
        // Printing to TextWriter.Null shows nothing, so the request is not rendered for it: rendering (a redacted copy,
        // the command text) would cost more than the answer.
        if (!ReferenceEquals(_writer, TextWriter.Null))
            Print(Render(request, Format));
        return Task.FromResult<Either<KlaviyoError, RawResponse>>(Responder.Respond(request));
    }

    private void Print(string text)
    {
        lock (_gate)
        {
            if (!_first)
                _writer.Write('\n');
            _first = false;
            _writer.Write(text);
            _writer.Write('\n');
            _writer.Flush();
        }
    }

    /// <summary>The text printed for <paramref name="request"/> in <paramref name="format"/>.</summary>
    /// <param name="request">The request.</param>
    /// <param name="format">The format.</param>
    public static string Render(KlaviyoRequest request, DryRunFormat format) =>
        format == DryRunFormat.Http ? request.ToHttpMessage() : request.ToCurl();
}
