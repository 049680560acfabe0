namespace Klaviyo;

public static partial class Interpreter
{
    /// <summary>
    /// An interpreter that prints every request to <paramref name="writer"/> (as a <c>curl</c> command or an HTTP/1.1
    /// message, secrets redacted) and sends nothing. Answers come from <paramref name="responder"/>: by default a
    /// document shaped like the operation's success response in the spec (<see cref="DryRunResponder.FromSchema"/>),
    /// so a whole typed program runs dry and sees plausible data.
    /// </summary>
    /// <example><code>
    /// var options = new KlaviyoOptions { ApiKey = "pk_example", Client = Interpreter.DryRun(Console.Out) };
    /// var result = await new RequestOperation(HttpMethod.Get, "/api/profiles").SendAsync(options);
    /// </code></example>
    /// <param name="writer">Where requests are printed.</param>
    /// <param name="format">How they are printed; <see cref="DryRunFormat.Curl"/> by default.</param>
    /// <param name="responder">Where answers come from; <see cref="DryRunResponder.FromSchema"/> when <c>null</c>.</param>
    public static DryRunInterpreter DryRun(
        TextWriter writer,
        DryRunFormat format = DryRunFormat.Curl,
        DryRunResponder? responder = null
    )
    {
        ArgumentNullException.ThrowIfNull(writer);
        return new DryRunInterpreter(writer, format, responder ?? DryRunResponder.FromSchema());
    }
}
