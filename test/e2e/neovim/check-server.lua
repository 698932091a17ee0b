-- Drives the rcu-lens language server from Neovim 0.7 (Debian 12's), a second real client.
--
--   RCU_LENS_SERVER=dist/server.js RCU_LENS_BUG_FILE=/tmp/x/BUG-01.c \
--   RCU_LENS_CLEAN_FILE=/tmp/x/OK-03.c nvim --headless --clean -n -c "luafile check-server.lua"
--
-- Every check prints "ok: <what>"; the first failure prints "FAIL: <why>" and exits with 1.
-- 0.7 has no vim.lsp.start: the client starts with vim.lsp.start_client and attaches by hand
-- (shared/reference/real-clients.md).

local TIMEOUT_MS = 20000
local POLL_MS = 20

-- The expectations of shared/cases/BUG-01.c, as 0-based LSP lines.
local LOCKDEP_LINE = 32
local WALK_LINE = 33
local TWIN_WALK_LINE = 50
local LOCKLESS_WALK = 'list_for_each_entry_lockless(w, &st->wins, link) {'

local function say(line)
  io.stdout:write(line .. '\n')
  io.stdout:flush()
end

local function need_env(name)
  local value = os.getenv(name)
  assert(value and value ~= '', name .. ' is not set')
  return value
end

local function check(condition, what, detail)
  if not condition then
    error(what .. (detail and (': ' .. detail) or ''), 0)
  end
  say('ok: ' .. what)
end

-- Every publishDiagnostics notification, in order, with the diagnostics as the server sent
-- them; wrapping the handler is what lets an empty publish (a clean file) be observed at all.
local publishes = {}
local default_publish = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
  if result then
    table.insert(publishes, { uri = result.uri, diagnostics = result.diagnostics })
  end
  return default_publish(err, result, ctx, config)
end

-- Set when the server process ends, so a crash fails at once instead of after a timeout.
local server_exit

local function wait_for_publish(uri, after_count)
  local found
  vim.wait(TIMEOUT_MS, function()
    if server_exit then
      return true
    end
    for index = after_count + 1, #publishes do
      if publishes[index].uri == uri then
        found = publishes[index]
        return true
      end
    end
    return false
  end, POLL_MS)
  if server_exit then
    error('the server exited with code ' .. server_exit .. '; see the lsp log', 0)
  end
  return found
end

local function start_server(root)
  local client_id = vim.lsp.start_client({
    name = 'rcu-lens',
    cmd = { 'node', need_env('RCU_LENS_SERVER'), '--stdio' },
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = 'cases' } },
    on_exit = function(code)
      server_exit = code
    end,
  })
  check(client_id ~= nil, 'the server process starts')
  return client_id
end

local function open_and_attach(path, client_id)
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  local bufnr = vim.api.nvim_get_current_buf()
  check(vim.bo[bufnr].filetype == 'c', 'Neovim sees ' .. vim.fn.fnamemodify(path, ':t') .. ' as C')
  vim.lsp.buf_attach_client(bufnr, client_id)
  return bufnr, vim.uri_from_fname(path)
end

local function find_finding(diagnostics, code, line)
  for _, diagnostic in ipairs(diagnostics) do
    if diagnostic.code == code and diagnostic.range.start.line == line then
      return diagnostic
    end
  end
end

local function lines_with_findings(diagnostics)
  local lines = {}
  for _, diagnostic in ipairs(diagnostics) do
    table.insert(lines, diagnostic.range.start.line + 1 .. ':' .. tostring(diagnostic.code))
  end
  return table.concat(lines, ', ')
end

local function check_findings(diagnostics)
  local summary = lines_with_findings(diagnostics)
  local lockdep = find_finding(diagnostics, 'realmode-lockdep-call', LOCKDEP_LINE)
  check(lockdep ~= nil, 'realmode-lockdep-call on line 33', summary)
  check(lockdep.source == 'rcu-lens', 'the finding names rcu-lens as its source', lockdep.source)
  local walk = find_finding(diagnostics, 'realmode-rcu-traversal', WALK_LINE)
  check(walk ~= nil, 'realmode-rcu-traversal on line 34', summary)
  local on_twin = false
  for _, diagnostic in ipairs(diagnostics) do
    on_twin = on_twin or diagnostic.range.start.line == TWIN_WALK_LINE
  end
  check(not on_twin, 'nothing on the correct twin, line 51', summary)
end

-- Hover contents come as MarkupContent, a MarkedString or a list of MarkedStrings.
local function hover_text(contents)
  if type(contents) == 'string' then
    return contents
  end
  if contents.value then
    return contents.value
  end
  local parts = {}
  for _, part in ipairs(contents) do
    table.insert(parts, hover_text(part))
  end
  return table.concat(parts, '\n')
end

local function only_result(responses, method)
  for _, response in pairs(responses or {}) do
    if response.error then
      error(method .. ' failed: ' .. vim.inspect(response.error), 0)
    end
    return response.result
  end
  error(method .. ' got no answer within ' .. TIMEOUT_MS .. ' ms', 0)
end

local function request(bufnr, method, params)
  return only_result(vim.lsp.buf_request_sync(bufnr, method, params, TIMEOUT_MS), method)
end

local function check_hover(bufnr, uri)
  local result = request(bufnr, 'textDocument/hover', {
    textDocument = { uri = uri },
    position = { line = WALK_LINE, character = 1 },
  })
  check(result and result.contents, 'the server answers a hover on the walk')
  local text = hover_text(result.contents)
  check(text:lower():find('real[%s%-]mode') ~= nil, 'the hover mentions real mode', text)
end

-- 0.7 stores only code, data and tags of an LSP diagnostic (under user_data.lsp) beside its own
-- fields, so the code-action context is rebuilt from them, as vim.lsp.buf.code_action does.
local function lsp_diagnostics_at(bufnr, line)
  local rebuilt = {}
  for _, diagnostic in ipairs(vim.diagnostic.get(bufnr, { lnum = line })) do
    local lsp = (diagnostic.user_data or {}).lsp or {}
    table.insert(rebuilt, {
      range = {
        start = { line = diagnostic.lnum, character = diagnostic.col },
        ['end'] = { line = diagnostic.end_lnum, character = diagnostic.end_col },
      },
      severity = diagnostic.severity,
      message = diagnostic.message,
      source = diagnostic.source,
      code = lsp.code or diagnostic.code,
      data = lsp.data,
    })
  end
  return rebuilt
end

local function find_lockless_action(actions)
  for _, action in ipairs(actions or {}) do
    if action.title and action.title:lower():find('lockless') then
      return action
    end
  end
end

local function titles_of(actions)
  local titles = {}
  for _, action in ipairs(actions or {}) do
    table.insert(titles, action.title)
  end
  return table.concat(titles, ' | ')
end

local function check_quick_fix(bufnr, uri)
  local diagnostics = lsp_diagnostics_at(bufnr, WALK_LINE)
  check(#diagnostics > 0, 'Neovim keeps the finding on line 34 for the code-action context')
  local actions = request(bufnr, 'textDocument/codeAction', {
    textDocument = { uri = uri },
    range = diagnostics[1].range,
    context = { diagnostics = diagnostics, only = { 'quickfix' } },
  })
  local action = find_lockless_action(actions)
  check(action ~= nil, 'a lockless quick fix is offered', titles_of(actions))
  if not action.edit and action.data then
    action = request(bufnr, 'codeAction/resolve', action)
  end
  check(action.edit ~= nil, 'the quick fix carries a workspace edit')
  vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16')
  local line = vim.api.nvim_buf_get_lines(bufnr, WALK_LINE, WALK_LINE + 1, true)[1]
  check(vim.trim(line) == LOCKLESS_WALK, 'the fix turns line 34 into a lockless walk', line)
end

local function run()
  vim.lsp.set_log_level('warn')
  local bug_file = need_env('RCU_LENS_BUG_FILE')
  local clean_file = need_env('RCU_LENS_CLEAN_FILE')
  local client_id = start_server(vim.fn.fnamemodify(bug_file, ':h'))

  local seen = #publishes
  local bufnr, uri = open_and_attach(bug_file, client_id)
  local publish = wait_for_publish(uri, seen)
  check(publish ~= nil, 'the server publishes diagnostics for BUG-01.c')
  check_findings(publish.diagnostics)
  check_hover(bufnr, uri)
  check_quick_fix(bufnr, uri)

  seen = #publishes
  local _, clean_uri = open_and_attach(clean_file, client_id)
  local clean = wait_for_publish(clean_uri, seen)
  check(clean ~= nil, 'the server publishes diagnostics for OK-03.c')
  check(#clean.diagnostics == 0, 'the publish for OK-03.c is empty', lines_with_findings(clean.diagnostics))

  vim.lsp.stop_client(client_id)
  say('ok: all checks passed')
end

local ok, failure = xpcall(run, function(message)
  return tostring(message) .. '\n' .. debug.traceback('', 2)
end)
if ok then
  vim.cmd('qall!')
else
  say('FAIL: ' .. failure)
  say('lsp log: ' .. vim.lsp.get_log_path())
  vim.cmd('cquit 1')
end
