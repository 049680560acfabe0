namespace Klaviyo;

public static partial class Interpreter
{
    /// <summary>
    /// An interpreter that prints every request to <paramref name="writer"/> (as a <c>curl</c> command or an HTTP/1.1
    /// message, secrets redacted) and sends nothing. Answers come from <paramref name="responder"/>: by default a
    /// minimal JSON:API document with the operation's success status, so a whole program runs dry.
    /// </summary>
    /// <example><code>
    /// var options = new KlaviyoOptions { ApiKey = "pk_example", Client = Interpreter.DryRun(Console.Out) };
    /// var result = await new RequestOperation(HttpMethod.Get, "/api/profiles").SendAsync(options);
    /// </code></example>
    /// <param name="writer">Where requests are printed.</param>
    /// <param name="format">How they are printed; <see cref="DryRunFormat.Curl"/> by default.</param>
    /// <param name="responder">Where answers come from; <see cref="DryRunResponder.Minimal"/> when <c>null</c>.</param>
    public static DryRunInterpreter DryRun(
        TextWriter writer,
        DryRunFormat format = DryRunFormat.Curl,
        DryRunResponder? responder = null
    )
    {
        ArgumentNullException.ThrowIfNull(writer);
        return new DryRunInterpreter(writer, format, responder ?? DryRunResponder.Minimal());
    }
}
