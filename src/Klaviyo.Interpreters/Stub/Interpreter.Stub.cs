namespace Klaviyo;

public static partial class Interpreter
{
    /// <summary>
    /// A stub interpreter for unit tests, answering from rules added with <see cref="StubInterpreter.When(HttpMethod, string)"/>
    /// and friends; nothing touches the network.
    /// </summary>
    /// <example><code>
    /// var stub = Interpreter.Stub().When(HttpMethod.Get, "/api/accounts").Respond(200, """{"data":[]}""");
    /// var result = await new RequestOperation(HttpMethod.Get, "/api/accounts")
    ///     .SendAsync(new KlaviyoOptions { ApiKey = "pk_test", Client = stub });
    /// </code></example>
    public static StubInterpreter Stub() => new();

    /// <summary>
    /// A stub interpreter answering every request with what <paramref name="respond"/> computes. It keeps every request
    /// in <see cref="StubInterpreter.Calls"/>; for many requests, <c>.KeepCalls(0)</c> keeps none (and only counts them).
    /// </summary>
    /// <param name="respond">The function.</param>
    public static StubInterpreter Stub(Func<KlaviyoRequest, StubResponse> respond) =>
        new StubInterpreter().WhenAny().RespondWith(respond);
}
