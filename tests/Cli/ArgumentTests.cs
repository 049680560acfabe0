using Klaviyo.Cli;
using Xunit;

namespace Klaviyo.Tests.Cli;

/// <summary>The tool's pure pieces, in process: argument reading, lookup, base URL, describe.</summary>
public class ArgumentTests
{
    private static CatalogEntry Entry(string id) =>
        OperationCatalog.Find(id).IfNoneUnsafe((CatalogEntry?)null)!;

    [Fact]
    public void Query_splits_at_the_first_equals_sign_and_puts_the_filter_last()
    {
        var pairs = CallRequest.Query(
            ["page[size]=5", "fields[profile]=email,first_name", "x=a=b", "empty="],
            "equals(email,\"a@example.com\")"
        );

        Assert.Equal(
            [
                ("page[size]", "5"),
                ("fields[profile]", "email,first_name"),
                ("x", "a=b"),
                ("empty", ""),
                ("filter", "equals(email,\"a@example.com\")"),
            ],
            pairs
        );
    }

    [Theory]
    [InlineData("novalue")]
    [InlineData("=value")]
    public void A_query_value_without_a_name_is_a_usage_error(string value)
    {
        var error = Assert.Throws<UsageException>(() => CallRequest.Query([value], null));
        Assert.Contains(value, error.Message);
    }

    [Fact]
    public void A_filter_given_twice_is_a_usage_error() =>
        Assert.Throws<UsageException>(() => CallRequest.Query(["filter=x"], "y"));

    [Fact]
    public void Build_expands_the_path_and_sets_the_operation_id_and_credentials()
    {
        var op = CallRequest.Build(Entry("get_profile"), ["a/b"], [("include", "lists")], null);

        Assert.Equal(HttpMethod.Get, op.Method);
        Assert.Equal("/api/profiles/a%2Fb", op.Path);
        Assert.Equal("get_profile", op.OperationId);
        Assert.True(op.SendCredentials);
        Assert.Equal([("include", "lists")], op.Query.ToArray());
        Assert.Empty(op.Problems);
    }

    [Fact]
    public void Build_never_sends_credentials_for_the_client_api()
    {
        var op = CallRequest.Build(Entry("get_client_geofences"), [], [], null);

        Assert.False(op.SendCredentials);
    }

    [Fact]
    public void Build_refuses_a_missing_body_a_stray_body_and_the_multipart_upload()
    {
        var body = System.Text.Json.JsonDocument.Parse("{}").RootElement;

        Assert.Contains(
            "takes a JSON body",
            Assert
                .Throws<UsageException>(() =>
                    CallRequest.Build(Entry("create_profile"), [], [], null)
                )
                .Message
        );
        Assert.Contains(
            "takes no body",
            Assert
                .Throws<UsageException>(() =>
                    CallRequest.Build(Entry("get_profiles"), [], [], body)
                )
                .Message
        );
        Assert.Contains(
            "multipart/form-data",
            Assert
                .Throws<UsageException>(() =>
                    CallRequest.Build(Entry("upload_image_from_file"), [], [], body)
                )
                .Message
        );
    }

    [Fact]
    public void Unknown_query_parameters_are_warned_about_with_the_nearest_name()
    {
        var warnings = CallRequest
            .UnknownParameterWarnings(
                Entry("get_profiles"),
                [("page[sise]", "5"), ("page[size]", "5")]
            )
            .ToList();

        var warning = Assert.Single(warnings);
        Assert.Contains("'page[sise]' (did you mean page[size]", warning);
    }

    [Theory]
    [InlineData("get_profiles", "get_profiles")]
    [InlineData("GET_PROFILES", "get_profiles")]
    [InlineData("Profiles.GetProfiles", "get_profiles")]
    [InlineData("getprofile", "get_profile")]
    public void Lookup_accepts_the_operation_id_in_any_case_and_the_csharp_name(
        string typed,
        string id
    ) => Assert.Equal(id, OperationLookup.Find(typed).OperationId);

    [Fact]
    public void Lookup_finds_every_operation_and_alias_of_the_catalog()
    {
        foreach (var entry in OperationCatalog.All)
        {
            Assert.Same(entry, OperationLookup.Find(entry.OperationId));
            foreach (var alias in entry.Aliases)
                Assert.Equal(entry.OperationId, OperationLookup.Find(alias).OperationId);
        }
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", "http", "127.0.0.1", 5000, "")]
    [InlineData(
        "https://proxy.example.com/klaviyo/",
        "https",
        "proxy.example.com",
        null,
        "/klaviyo"
    )]
    [InlineData("https://a.klaviyo.com:443", "https", "a.klaviyo.com", null, "")]
    public void Base_url_sets_protocol_host_port_and_path(
        string url,
        string protocol,
        string host,
        int? port,
        string path
    )
    {
        var options = BaseUrl.Apply(KlaviyoOptions.Default, url);

        Assert.Equal(
            (protocol, host, port, path),
            (options.Protocol, options.Host, options.Port, options.Path)
        );
    }

    [Theory]
    [InlineData("127.0.0.1:5000")]
    [InlineData("ftp://example.com")]
    [InlineData("http://example.com/?x=1")]
    [InlineData("http://user:pw@example.com")]
    public void A_base_url_that_is_not_a_plain_http_url_is_a_usage_error(string url) =>
        Assert.Throws<UsageException>(() => BaseUrl.Apply(KlaviyoOptions.Default, url));

    [Fact]
    public void Credentials_from_a_file_win_over_the_environment_and_never_show()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "  pk_from_file \n");
            var credentials = Credentials.Read(
                name => name == "KLAVIYO_API_KEY" ? "pk_from_env" : null,
                file
            );

            Assert.Equal("pk_from_file", credentials.ApiKey);
            Assert.Null(credentials.AccessToken);
            Assert.DoesNotContain("pk_from", credentials.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Blank_environment_variables_are_no_credentials() =>
        Assert.False(Credentials.Read(_ => "  ", null).Any);

    [Fact]
    public void Describe_writes_every_operation_with_its_path_and_every_query_parameter()
    {
        foreach (var entry in OperationCatalog.All)
        {
            var text = DescribeCommand.Describe(entry);
            Assert.StartsWith($"{entry.OperationId}: ", text);
            Assert.Contains($"\n  path         {entry.PathTemplate}\n", text);
            foreach (var parameter in entry.QueryParameters)
                Assert.Contains($"\n  {parameter.Name}", text);
            foreach (var filter in entry.Filters)
                Assert.Contains($"\n  {filter.Field}", text);
        }
    }

    [Fact]
    public void Suggestions_are_the_nearest_names_first()
    {
        Assert.Equal(
            ["get_profile", "get_profiles"],
            Suggestions.Nearest("get_profils", ["get_lists", "get_profiles", "get_profile"], 2)
        );
        Assert.Empty(Suggestions.Nearest("zzzzzzzz", ["get_profile"]));
    }
}
