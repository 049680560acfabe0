// Builds a few Klaviyo operations and prints the HTTP requests they would send. No key, no network.
using Klaviyo;
using LanguageExt;
using static LanguageExt.Prelude;

var options = new KlaviyoOptions
{
    ApiKey = Environment.GetEnvironmentVariable("KLAVIYO_API_KEY") ?? "pk_example",
};

var operations = new[]
{
    new RequestOperation(HttpMethod.Get, "/api/profiles")
    {
        Query = Seq(("filter", "equals(email,\"ada@example.com\")"), ("page[size]", "10")),
    },
    PathTemplate.Operation(HttpMethod.Get, "/api/lists/{id}", "Y6nRLr"),
    new RequestOperation(HttpMethod.Post, "/api/events")
    {
        Body = RequestBody.Json(
            new
            {
                data = new
                {
                    type = "event",
                    attributes = new { properties = new { value = 9.99 } },
                },
            }
        ),
    },
};

foreach (var op in operations)
{
    RequestBuilder
        .Build(op, options)
        .Match(
            request =>
            {
                Console.WriteLine($"{request.Method} {request.Url}");
                foreach (var (name, value) in request.Headers)
                    Console.WriteLine($"{name}: {Redaction.HeaderValue(name, value)}");
                if (!request.Body.IsEmpty)
                    Console.WriteLine(System.Text.Encoding.UTF8.GetString(request.Body.Span));
                Console.WriteLine();
            },
            error => Console.Error.WriteLine(error)
        );
}
