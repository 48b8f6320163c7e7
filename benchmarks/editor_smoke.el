;;; editor_smoke.el --- contentkit server in Emacs (eglot), batch mode -*- lexical-binding: t -*-
;; Driven by benchmarks/editor_smoke.py --editor emacs: what a user does with one post, with
;; the README's eglot setup. $SMOKE_TASK names a JSON task (file, out, prefix, append, line);
;; the results go to the task's "out" file as JSON. Positions are Emacs' (code points).
(require 'json)
(require 'eglot)
(require 'markdown-mode)

;; The README's Emacs setup.
(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               '((markdown-mode html-mode) . ("contentkit" "server"))))
(add-hook 'markdown-mode-hook #'eglot-ensure)

(defvar smoke-task (json-read-file (getenv "SMOKE_TASK")))
(defvar smoke-out nil)
(defun smoke-get (key) (cdr (assq key smoke-task)))
(defun smoke-put (key value) (push (cons key value) smoke-out))
(defun smoke-save ()
  (with-temp-file (smoke-get 'out) (insert (json-encode smoke-out))))

(defun smoke-wait (pred seconds)
  (let ((deadline (+ (float-time) seconds)) (ok nil))
    (while (and (not (setq ok (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (and ok t)))

(defun smoke-column (pos)
  (save-excursion (goto-char pos) (1+ (- pos (line-beginning-position)))))

(defun smoke-diagnostics ()
  (vconcat
   (mapcar (lambda (d)
             (let* ((beg (flymake-diagnostic-beg d)) (end (flymake-diagnostic-end d))
                    (lsp (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d)))))
               `((line . ,(line-number-at-pos beg)) (column . ,(smoke-column beg))
                 (end_line . ,(line-number-at-pos end)) (end_column . ,(smoke-column end))
                 (code . ,(plist-get lsp :code)) (message . ,(plist-get lsp :message))
                 (severity . ,(plist-get lsp :severity)))))
           (flymake-diagnostics))))

(defun smoke-step (name fn)
  (condition-case err
      (funcall fn)
    (error (smoke-put (intern (format "error-%s" name)) (format "%S" err))))
  (smoke-save))

(defvar smoke-published nil "The version of the last diagnostics published.")
(advice-add 'eglot-handle-notification :after
            (lambda (_server method &rest params)
              (when (eq method 'textDocument/publishDiagnostics)
                (setq smoke-published (or (plist-get params :version) -1)))))

(defun smoke-wait-published ()
  "Wait for the diagnostics of the buffer's text as it is now, then for flymake to show them."
  (and (smoke-wait (lambda () (eql smoke-published eglot--versioned-identifier)) 30)
       (progn (flymake-start) (accept-process-output nil 0.3) t)))

(smoke-step
 "open"
 (lambda ()
   (find-file (smoke-get 'file))
   ;; eglot-ensure connects after the next command, which batch mode never runs.
   (run-hooks 'post-command-hook)
   (smoke-put 'connected (smoke-wait #'eglot-current-server 30))
   (smoke-put 'published_on_open (smoke-wait-published))
   (smoke-wait (lambda () (flymake-start) (accept-process-output nil 0.1) (flymake-diagnostics)) 10)
   (smoke-put 'open (smoke-diagnostics))))

(smoke-step
 "hover"
 (lambda ()
   (goto-char (point-min))
   (when (search-forward "class=\"project-link\"" nil t)
     (search-forward ">")
     (let ((hover (jsonrpc-request (eglot-current-server) :textDocument/hover
                                   (eglot--TextDocumentPositionParams))))
       (smoke-put 'hover (plist-get (plist-get hover :contents) :value))))))

(smoke-step
 "fix all"
 (lambda ()
   (let ((tick (buffer-chars-modified-tick)))
     (eglot-code-actions (point-min) (point-max) "source.fixAll.contentkit" t)
     (smoke-put 'fix_all_applied (/= tick (buffer-chars-modified-tick))))
   (save-buffer)
   (copy-file (smoke-get 'file) (smoke-get 'fixed_copy) t)))

(smoke-step
 "edit"
 (lambda ()
   (progn
     (goto-char (point-min))
     (when (search-forward (smoke-get 'line) nil t)
       (beginning-of-line)
       (insert (smoke-get 'prefix)))
     (goto-char (point-max))
     (unless (bolp) (insert "\n"))
     (insert (mapconcat #'identity (smoke-get 'append) "\n") "\n")
     ;; eglot sends the change once Emacs is idle, which batch mode never is: send it now.
     (eglot--signal-textDocument/didChange)
     (smoke-put 'published_on_edit (smoke-wait-published))
     (smoke-put 'edited (smoke-diagnostics))
     (save-buffer))))

(smoke-step
 "quit"
 (lambda ()
   (let ((server (eglot-current-server)))
     (eglot-shutdown server)
     (smoke-put 'server_running (process-live-p (jsonrpc--process server))))))
(kill-emacs 0)
