-- Driven by benchmarks/editor_smoke.py: what a user does in Neovim with one post, headless.
-- The task (a JSON file named by $SMOKE_TASK) says which file and what to try; the results
-- go to task.out as JSON. Every step is contained: a failure is recorded, the next goes on.
-- Written for Neovim 0.7 (Debian 12) to 0.11: where an API came later, the older one is used.
local uv = vim.uv or vim.loop
local get_clients = vim.lsp.get_clients
  or function(filter)
    local found = {}
    for _, c in pairs(vim.lsp.buf_get_clients(filter.bufnr)) do
      if c.name == filter.name then
        table.insert(found, c)
      end
    end
    return found
  end
local task = vim.json.decode(table.concat(vim.fn.readfile(os.getenv("SMOKE_TASK")), "\n"))
local out = { errors = {}, publishes = {}, steps = {} }

local function save()
  vim.fn.writefile({ vim.json.encode(out) }, task.out)
end

local function step(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  table.insert(out.steps, name)
  if not ok then
    table.insert(out.errors, name .. ": " .. tostring(err))
  end
  save()
end

vim.lsp.set_log_level(task.log_level or "warn")
-- Count what the server publishes (uri, version), then let Neovim handle it as always.
local publish = vim.lsp.handlers["textDocument/publishDiagnostics"]
vim.lsp.handlers["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
  table.insert(out.publishes, { uri = result.uri, version = result.version, n = #result.diagnostics })
  return publish(err, result, ctx, config)
end

local buf, client, uri
local function version()
  return vim.lsp.util.buf_versions[buf]
end

local function wait_publish(v, timeout)
  return vim.wait(timeout or 20000, function()
    for _, p in ipairs(out.publishes) do
      if p.uri == uri and (v == nil or p.version == v) then
        return true
      end
    end
    return false
  end, 10)
end

local function diagnostics()
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = (d.user_data or {}).lsp or {}
    local data = type(lsp.data) == "table" and lsp.data or {}
    table.insert(found, {
      lnum = d.lnum,
      col = d.col,
      end_lnum = d.end_lnum,
      end_col = d.end_col,
      code = d.code,
      message = d.message,
      severity = d.severity,
      name = data.name,
      fix = data.fix,
      href = lsp.codeDescription and lsp.codeDescription.href or nil,
      lsp_range = lsp.range,
    })
  end
  return found
end

local function buffer_text()
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local nl = vim.bo[buf].fileformat == "dos" and "\r\n" or "\n"
  return table.concat(lines, nl) .. ((vim.bo[buf].eol or vim.bo[buf].fixeol) and nl or "")
end

local function request(method, params)
  local replies, err = vim.lsp.buf_request_sync(buf, method, params, 10000)
  if err then
    error(method .. ": " .. tostring(err))
  end
  local reply = (replies or {})[client.id] or {}
  if reply.err then
    error(method .. ": " .. vim.inspect(reply.err))
  end
  return reply.result
end

step("open", function()
  local started = uv.hrtime()
  vim.cmd("edit " .. vim.fn.fnameescape(task.file))
  buf = vim.api.nvim_get_current_buf()
  uri = vim.uri_from_bufnr(buf)
  out.uri = uri
  out.filetype = vim.bo[buf].filetype
  out.attached = vim.wait(20000, function()
    return #get_clients({ bufnr = buf, name = "contentkit" }) > 0
  end, 10)
  client = get_clients({ bufnr = buf, name = "contentkit" })[1]
  assert(client, "no contentkit client attached to the buffer")
  out.offset_encoding = client.offset_encoding
  out.root_dir = client.root_dir or (client.config or {}).root_dir
  out.server_name = client.server_info and client.server_info.name
  out.published_on_open = wait_publish(version())
  out.open_ms = (uv.hrtime() - started) / 1e6
  out.open_version = version()
  out.open = diagnostics()
end)

local function line_with(pattern)
  for lnum, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local at = line:find(pattern, 1, true)
    if at then
      return lnum - 1, at - 1
    end
  end
end

step("hover", function()
  if task.hover then
    -- The cursor on the link text: past the pattern, then past the rest of the tag.
    local lnum, at = line_with(task.hover)
    local close = vim.api.nvim_buf_get_lines(buf, lnum, lnum + 1, false)[1]:find(">", at, true)
    vim.api.nvim_win_set_cursor(0, { lnum + 1, close + (task.hover_skip or 0) })
  else -- on the first finding
    local d = vim.diagnostic.get(buf)[1]
    vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
  end
  do
    out.hover_cursor = vim.api.nvim_win_get_cursor(0)
    local params = vim.lsp.util.make_position_params(0, client.offset_encoding)
    local result = request("textDocument/hover", params)
    out.hover = result and result.contents and result.contents.value or vim.NIL
    -- As a user does it: K opens a floating window with the text.
    vim.lsp.buf.hover()
    vim.wait(5000, function()
      for _, w in ipairs(vim.api.nvim_list_wins()) do
        if vim.api.nvim_win_get_config(w).relative ~= "" then
          out.hover_float = vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(w), 0, -1, false)
          vim.api.nvim_win_close(w, true)
          return true
        end
      end
      return false
    end, 10)
  end
end)

step("code actions", function()
  -- At the first finding that has a fix (else the first), as the cursor would be.
  local target
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = (d.user_data or {}).lsp or {}
    if type(lsp.data) == "table" and lsp.data.fix ~= nil and lsp.data.fix ~= vim.NIL then
      target = d
      break
    end
  end
  target = target or vim.diagnostic.get(buf)[1]
  out.actions = {}
  if not target then
    return
  end
  vim.api.nvim_win_set_cursor(0, { target.lnum + 1, target.col })
  local params = vim.lsp.util.make_range_params(0, client.offset_encoding)
  params.context = { diagnostics = {} }
  for _, a in ipairs(request("textDocument/codeAction", params) or {}) do
    table.insert(out.actions, { title = a.title, kind = a.kind, preferred = a.isPreferred })
  end
end)

if task.fix_all then
  step("fix all", function()
    local last = vim.fn.line("$")
    local result = request("textDocument/codeAction", {
      textDocument = { uri = uri },
      range = { start = { line = 0, character = 0 }, ["end"] = { line = last, character = 0 } },
      context = { diagnostics = {}, only = { "source.fixAll" } },
    })
    out.fix_all_titles = {}
    for _, a in ipairs(result or {}) do
      table.insert(out.fix_all_titles, a.title)
    end
    -- As a user does it: the code action menu narrowed to fixAll, applied at once (0.8 and
    -- later; 0.7 would open a menu, so there the edit is applied as its menu would).
    local tick = vim.b[buf].changedtick
    if vim.fn.has("nvim-0.8") == 1 then
      vim.lsp.buf.code_action({ context = { only = { "source.fixAll" } }, apply = true })
    elseif result and result[1] then
      vim.lsp.util.apply_workspace_edit(result[1].edit, client.offset_encoding)
    end
    out.fix_all_applied = vim.wait(10000, function()
      return vim.b[buf].changedtick ~= tick
    end, 10)
    out.fixed_buffer = buffer_text()
    vim.cmd("write")
    assert(uv.fs_copyfile(task.file, task.fixed_copy))
    wait_publish(version())
    out.after_fix = diagnostics()
  end)
end

if task.edit then
  step("edit", function()
    -- Chinese text and an emoji before the first finding on its line, and new lines at the end.
    local line = line_with(task.edit.line) or 0
    vim.api.nvim_buf_set_text(buf, line, 0, line, 0, { task.edit.prefix })
    vim.api.nvim_buf_set_lines(buf, -1, -1, false, task.edit.append)
    local started = uv.hrtime()
    out.edit_version = version()
    out.published_on_edit = wait_publish(version())
    out.edit_ms = (uv.hrtime() - started) / 1e6
    out.edited = diagnostics()
    out.edited_text = buffer_text()
  end)
end

if task.save_only then
  step("save only", function()
    -- Over liveLimit: an edit is not linted as it is typed, a save is.
    vim.api.nvim_buf_set_lines(buf, -1, -1, false, task.save_only)
    out.published_on_big_edit = wait_publish(version(), 2000)
    vim.cmd("write")
    out.published_on_big_save = wait_publish(version())
    out.big_saved = diagnostics()
  end)
end

if task.config then
  step("config", function()
    -- A contentkit.toml written in Neovim (a buffer the server is not attached to; Neovim
    -- on Linux watches no files for it), then one more character typed in the post.
    vim.cmd("split " .. vim.fn.fnameescape(task.config.file))
    vim.api.nvim_buf_set_lines(0, 0, -1, false, task.config.lines)
    vim.cmd("write")
    vim.cmd("close")
    local last = vim.api.nvim_buf_line_count(buf)
    local tail = vim.api.nvim_buf_get_lines(buf, last - 1, last, false)[1]
    vim.api.nvim_buf_set_text(buf, last - 1, #tail, last - 1, #tail, { " " })
    out.published_on_config = wait_publish(version())
    out.after_config = diagnostics()
  end)
end

step("quit", function()
  out.children = vim.api.nvim_get_proc_children(vim.fn.getpid())
  out.log_path = vim.lsp.get_log_path()
  save()
  vim.cmd(task.quit or "wq")
end)
vim.cmd("qa!") -- only reached when the quit above failed (recorded): never hang
