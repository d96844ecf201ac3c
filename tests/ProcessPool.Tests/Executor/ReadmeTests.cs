using System.Diagnostics;
using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Executor;

/// <summary>The README's example is what a new user copies first: it must compile and run as written.</summary>
public sealed class ReadmeTests
{
    [Fact]
    public async Task The_readme_example_compiles_and_runs_as_written()
    {
        string root = Repository.Root();
        string readme = await File.ReadAllTextAsync(Path.Combine(root, "README.md"));
        int start = readme.IndexOf("```csharp\n", StringComparison.Ordinal) + "```csharp\n".Length;
        string example = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];

        string app = Directory.CreateTempSubdirectory("pp-readme-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), example);
            await File.WriteAllTextAsync(Path.Combine(app, "Readme.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                  </PropertyGroup>
                  <ItemGroup>
                    <ProjectReference Include="{Path.Combine(root, "src", "ProcessPool", "ProcessPool.csproj")}" />
                  </ItemGroup>
                </Project>
                """);

            string output = await Repository.Dotnet(app, "run");
            Assert.Contains("81", output, StringComparison.Ordinal); // the last square of the map
            Assert.Matches(@"worker \d+ died: signal 6", output); // FailFast: SIGABRT, and the app went on
        }
        finally
        {
            Directory.Delete(app, recursive: true);
        }
    }
}
