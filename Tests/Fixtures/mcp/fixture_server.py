"""An MCP server for agentsched's tests, written with the official Python SDK (mcp 2.x, MCPServer).

It is the real peer: agentsched's client talks to it over stdio or streamable HTTP exactly as it
would to any server. Run: python fixture_server.py [stdio | http PORT].
"""

import asyncio
import os
import sys

from mcp.server.mcpserver import Context, Image, MCPServer
from mcp_types import ToolAnnotations

mcp = MCPServer("fixture")


@mcp.tool(annotations=ToolAnnotations(readOnlyHint=True))
def echo(text: str) -> str:
    """Returns the text it was given."""
    return text


@mcp.tool(annotations=ToolAnnotations(readOnlyHint=False))
def write_note(name: str, text: str) -> str:
    """Writes a note file into the working folder."""
    with open(os.path.join(os.getcwd(), name), "w") as note:
        note.write(text)
    return f"wrote {name}"


@mcp.tool()
def unannotated(text: str) -> str:
    """A tool without annotations: a read-only session must not get it."""
    return text.upper()


@mcp.tool(annotations=ToolAnnotations(readOnlyHint=True))
def env_digest(name: str) -> str:
    """A checksum of an environment variable's value (its length and byte sum), so a test can check
    the value arrived without the value ever being printed."""
    value = os.environ.get(name)
    if value is None:
        return "unset"
    data = value.encode()
    return f"{len(data)}:{sum(data) % 65521}"


@mcp.tool(annotations=ToolAnnotations(readOnlyHint=True))
def environment_names() -> str:
    """The names of the variables the server got, sorted."""
    return " ".join(sorted(os.environ))


@mcp.tool(annotations=ToolAnnotations(readOnlyHint=True))
def working_folder() -> str:
    """The folder the server runs in."""
    return os.getcwd()


@mcp.tool(annotations=ToolAnnotations(readOnlyHint=True))
async def slow(seconds: float) -> str:
    """Sleeps, then answers."""
    await asyncio.sleep(seconds)
    return f"slept {seconds}"


@mcp.tool(annotations=ToolAnnotations(readOnlyHint=True))
def crash() -> str:
    """Exits the server at once, mid-call."""
    sys.stderr.write("fixture: crashing on purpose\n")
    sys.stderr.flush()
    os._exit(3)


@mcp.tool(annotations=ToolAnnotations(readOnlyHint=True))
def big(kilobytes: int) -> str:
    """A long text answer."""
    return "x" * (kilobytes * 1024)


@mcp.tool(annotations=ToolAnnotations(readOnlyHint=True))
def picture() -> Image:
    """An image result (a 1x1 PNG)."""
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
    return Image(data=png, format="png")


@mcp.tool(annotations=ToolAnnotations(readOnlyHint=True))
async def grow(ctx: Context) -> str:
    """Adds a tool named `grown` and tells the client its tool list changed."""

    def grown() -> str:
        """A tool that appeared later."""
        return "grown"

    mcp.add_tool(grown, annotations=ToolAnnotations(readOnlyHint=True))
    await ctx.session.send_tool_list_changed()
    return "added grown"


@mcp.tool(annotations=ToolAnnotations(readOnlyHint=True))
def failing() -> str:
    """Raises: the result is an error result, not a protocol error."""
    raise ValueError("the fixture failed on purpose")


if os.environ.get("FIXTURE_MANY_TOOLS"):
    # Enough tools for the listing to span pages when the server paginates.
    for index in range(int(os.environ["FIXTURE_MANY_TOOLS"])):

        def make(index: int):
            def numbered() -> str:
                return f"tool {index}"

            numbered.__name__ = f"numbered_{index}"
            numbered.__doc__ = f"Numbered tool {index}."
            return numbered

        mcp.tool(annotations=ToolAnnotations(readOnlyHint=True))(make(index))


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "stdio"
    if mode == "http":
        mcp.run(transport="streamable-http", host="127.0.0.1", port=int(sys.argv[2]))
    else:
        mcp.run(transport="stdio")
